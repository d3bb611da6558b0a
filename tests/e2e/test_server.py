"""End-to-end tests of the sbbsmail runtime: listeners, admission, signals,
reload and the command line, against the real binary (see harness.py)."""
import os
import re
import shutil
import signal
import socket
import ssl
import time
import unittest
import warnings

from harness import Install, SbbsMail, fixtures_dir, is_closed, read_line, run_cli, wrap_tls

ALL_PORTS = "ALLOW_POP3 | USE_SUBMISSION_PORT | TLS_SUBMISSION | TLS_POP3 | NO_HOST_LOOKUP | NO_RECYCLE"
SMTP_REPLY = re.compile(r"^(220|421) \S.*\r\n$")
POP3_REPLY = re.compile(r"^(\+OK|-ERR)( .*)?\r\n$")
FIXTURE = os.path.join(fixtures_dir(), "bbs")
MSGBASE = os.path.join(fixtures_dir(), "msgbase")


def pid_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


class ServerCase(unittest.TestCase):
    def server(self, **kw):
        srv = SbbsMail(**kw)
        self.addCleanup(srv.install.cleanup)
        self.addCleanup(srv.stop)   # runs first: the process never outlives the test
        return srv.start()


class Listeners(ServerCase):
    def test_every_enabled_port_answers(self):
        """CFG-52 CFG-53 CFG-54 CFG-55 CFG-56 SMTP-10 SMTP-11 SMTP-12 POP3-6: each enabled port gives a well-formed first reply"""
        srv = self.server(mail={"Options": ALL_PORTS})
        for key in ("SMTPPort", "SubmissionPort"):
            with srv.connect(key) as s:
                self.assertRegex(read_line(s), SMTP_REPLY, key)
        with srv.connect_tls("TLSSubmissionPort") as s:
            self.assertRegex(read_line(s), SMTP_REPLY)
        with srv.connect("POP3Port") as s:
            self.assertRegex(read_line(s), POP3_REPLY)
        with srv.connect_tls("TLSPOP3Port") as s:
            self.assertRegex(read_line(s), POP3_REPLY)
        for key in ("SMTPPort", "SubmissionPort", "TLSSubmissionPort", "POP3Port", "TLSPOP3Port"):
            self.assertIn("port %d" % srv.ports[key], srv.output)

    def test_disabled_ports_are_not_opened(self):
        """CFG-53 CFG-54 CFG-55 CFG-56 POP3-6: listeners need their Options flag"""
        srv = self.server(mail={"Options": "NO_HOST_LOOKUP"})
        with srv.connect("SMTPPort") as s:
            self.assertRegex(read_line(s), SMTP_REPLY)
        for key in ("SubmissionPort", "TLSSubmissionPort", "POP3Port", "TLSPOP3Port"):
            with self.assertRaises(ConnectionRefusedError, msg=key):
                srv.connect(key).close()

    def test_tls_pair_generated_under_ctrl_and_logged(self):
        """a self-signed certificate and key are created in ctrl/ on first start"""
        srv = self.server(mail={"Options": "TLS_POP3"})
        cert = srv.install.path("ctrl", "tls-cert.pem")
        self.assertTrue(os.path.exists(cert))
        self.assertEqual(os.stat(srv.install.path("ctrl", "tls-key.pem")).st_mode & 0o777, 0o600)
        self.assertIn(cert, srv.output)
        with srv.connect_tls("TLSPOP3Port") as s:
            self.assertIn(s.version(), ("TLSv1.2", "TLSv1.3"))

    def test_old_tls_versions_refused(self):
        """the TLS ports accept TLS 1.2 and later only"""
        srv = self.server(mail={"Options": "TLS_POP3"})
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                ctx.minimum_version = ssl.TLSVersion.TLSv1
                ctx.maximum_version = ssl.TLSVersion.TLSv1_1
            ctx.set_ciphers("ALL:@SECLEVEL=0")
        except (ValueError, ssl.SSLError) as e:
            self.skipTest("n/a: this Python cannot offer TLS 1.1: %s" % e)
        with srv.connect("TLSPOP3Port") as raw:
            with self.assertRaises((ssl.SSLError, ConnectionError)):
                ctx.wrap_socket(raw)

    def test_bind_failure_is_fatal_after_retries(self):
        """CFG-168 CFG-44: a port that stays taken stops the start after BindRetryCount retries"""
        with socket.socket() as taken:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            srv = SbbsMail(mail={"SMTPPort": str(port), "BindRetryCount": "1", "BindRetryDelay": "1"})
            self.addCleanup(srv.install.cleanup)
            self.addCleanup(srv.stop)
            t0 = time.monotonic()
            srv.start(wait_ready=False)
            code = srv.wait_exit(15)
            self.assertNotEqual(code, 0)
            self.assertIsNotNone(code)
            self.assertGreaterEqual(time.monotonic() - t0, 0.9)
            self.assertIn(str(port), srv.output)
            self.assertEqual(len(re.findall(r"retrying in 1 seconds", srv.output)), 1)

    def test_two_listeners_on_one_port_refuse_to_start(self):
        """CFG-168: two enabled listeners sharing an address and port are fatal"""
        srv = SbbsMail(mail={"Options": "ALLOW_POP3"})
        self.addCleanup(srv.install.cleanup)
        self.addCleanup(srv.stop)
        srv.install.set_ini("Mail", "POP3Port", str(srv.ports["SMTPPort"]))
        srv.start(wait_ready=False)
        self.assertNotEqual(srv.wait_exit(10), 0)
        self.assertIn("sbbs.ini", srv.output)
        self.assertNotIn("sbbsmail ready", srv.output)


class Admission(ServerCase):
    def hold_sessions(self, srv, n):
        """n sessions kept open: TLS-port connections that never start the handshake."""
        held = [srv.connect("TLSSubmissionPort") for _ in range(n)]
        for s in held:
            self.addCleanup(s.close)
        time.sleep(0.3)
        return held

    def test_max_clients_over_limit_reply(self):
        """CFG-58 SMTP-18 POP3-9 SMTP-14: over MaxClients (SMTP and POP3 counted together) the spec's reply, then close"""
        srv = self.server(mail={"Options": "ALLOW_POP3 | TLS_SUBMISSION", "MaxClients": "2"})
        self.hold_sessions(srv, 2)
        with srv.connect("SMTPPort") as s:
            self.assertEqual(read_line(s), "421 System Error: Maximum active clients reached, try again later\r\n")
            self.assertTrue(is_closed(s))
        with srv.connect("POP3Port") as s:
            self.assertEqual(read_line(s), "-ERR System Error: Maximum active clients reached, try again later\r\n")
            self.assertTrue(is_closed(s))
        self.assertTrue(srv.wait_output(r"!MAXIMUM CLIENTS \(2\) reached, access denied \(2 total\)"))

    def test_max_clients_reply_in_clear_on_tls_port(self):
        """SMTP-19 POP3-10: the over-limit reply is sent in clear text even on an implicit-TLS port"""
        srv = self.server(mail={"Options": "TLS_SUBMISSION | TLS_POP3", "MaxClients": "1"})
        self.hold_sessions(srv, 1)
        with srv.connect("TLSSubmissionPort") as s:
            self.assertEqual(read_line(s), "421 System Error: Maximum active clients reached, try again later\r\n")
        with srv.connect("TLSPOP3Port") as s:
            self.assertEqual(read_line(s), "-ERR System Error: Maximum active clients reached, try again later\r\n")

    def test_slot_freed_when_session_ends(self):
        """CFG-58: a finished session frees its MaxClients slot"""
        srv = self.server(mail={"Options": "TLS_SUBMISSION", "MaxClients": "1"})
        held = self.hold_sessions(srv, 1)
        with srv.connect("SMTPPort") as s:
            self.assertIn("Maximum active clients", read_line(s))
        held[0].close()
        deadline = time.monotonic() + 5
        while True:
            with srv.connect("SMTPPort") as s:
                line = read_line(s)
            if "Maximum active clients" not in line or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertRegex(line, SMTP_REPLY)
        self.assertNotIn("Maximum active clients", line)

    def test_max_inactivity_ends_idle_session(self):
        """CFG-59 POP3-15 SMTP-23: a client silent for MaxInactivity on a TLS port is dropped without a reply"""
        srv = self.server(mail={"Options": "TLS_SUBMISSION | TLS_POP3", "MaxInactivity": "1s"})
        for key in ("TLSSubmissionPort", "TLSPOP3Port"):
            with srv.connect(key) as s:
                t0 = time.monotonic()
                s.settimeout(6)
                self.assertEqual(s.recv(100), b"", key)   # closed, nothing sent
                self.assertLess(time.monotonic() - t0, 5)


class MissingUserBase(ServerCase):
    def test_missing_user_base_said_once_not_per_session(self):
        """ISSUE13-3: without user.tab every session gets 421; start-up says why once, sessions do not repeat it"""
        inst = Install()
        os.remove(inst.path("data", "user", "user.tab"))
        srv = self.server(install=inst, mail={"Options": "NO_HOST_LOOKUP"})
        self.assertIn("user.tab: user base not found", srv.output)
        for _ in range(3):
            with srv.connect("SMTPPort") as s:
                self.assertTrue(read_line(s).startswith("421 "))
        srv.wait_output("cannot serve sessions")
        time.sleep(0.3)
        self.assertEqual(srv.output.count("cannot serve sessions"), 1, srv.output)


class Signals(ServerCase):
    def test_sigterm_clean_exit_within_2s(self):
        """SIGTERM stops accepting, ends sessions, joins threads: exit 0 within 2 s, nothing left"""
        srv = self.server(mail={"Options": "ALLOW_POP3 | TLS_SUBMISSION", "MaxInactivity": "10m"})
        held = [srv.connect("TLSSubmissionPort") for _ in range(3)]
        self.addCleanup(lambda: [s.close() for s in held])
        time.sleep(0.2)
        pid = srv.proc.pid
        t0 = time.monotonic()
        srv.signal(signal.SIGTERM)
        code = srv.wait_exit(2.0)
        self.assertEqual(code, 0, srv.output)
        self.assertLess(time.monotonic() - t0, 2.0)
        self.assertTrue(pid_gone(pid))
        for s in held:
            self.assertTrue(is_closed(s, timeout=1))
        with self.assertRaises(ConnectionRefusedError):
            srv.connect("SMTPPort").close()

    def test_sigint_clean_exit(self):
        """SIGINT (Ctrl-C) stops the server like SIGTERM"""
        srv = self.server()
        srv.signal(signal.SIGINT)
        self.assertEqual(srv.wait_exit(2.0), 0, srv.output)

    def test_sighup_reload_keeps_open_session(self):
        """SIGHUP re-reads the configuration; an open session survives and new listeners appear"""
        srv = self.server(mail={"Options": "TLS_SUBMISSION", "MaxInactivity": "10m"})
        session = srv.connect("TLSSubmissionPort")
        self.addCleanup(session.close)
        time.sleep(0.2)
        with self.assertRaises(ConnectionRefusedError):
            srv.connect("POP3Port").close()
        srv.install.set_ini("Mail", "Options", "TLS_SUBMISSION | ALLOW_POP3")
        ready_lines = srv.output.count("sbbsmail ready")
        srv.signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while srv.output.count("sbbsmail ready") == ready_lines and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertGreater(srv.output.count("sbbsmail ready"), ready_lines, srv.output)
        with srv.connect("POP3Port") as s:
            self.assertRegex(read_line(s), POP3_REPLY)
        tls = wrap_tls(session)   # the session opened before the reload still works
        self.assertRegex(read_line(tls), SMTP_REPLY)
        self.assertIsNone(srv.proc.poll())

    def test_sighup_with_broken_config_keeps_running(self):
        """CFG-170: a reload that fails leaves the running configuration in place"""
        srv = self.server()
        os.rename(srv.install.path("ctrl", "main.ini"), srv.install.path("ctrl", "main.ini.bak"))
        srv.signal(signal.SIGHUP)
        self.assertTrue(srv.wait_output(r"Reload failed"), srv.output)
        with srv.connect("SMTPPort") as s:
            self.assertRegex(read_line(s), SMTP_REPLY)


class Semaphores(ServerCase):
    def test_recycle_file_reloads(self):
        """CFG-8 SMTP-9: ctrl/recycle newer than the start re-reads the configuration"""
        srv = self.server(mail={"Options": "NO_HOST_LOOKUP"}, global_={"SemFileCheckFrequency": "1"})
        with self.assertRaises(ConnectionRefusedError):
            srv.connect("POP3Port").close()
        srv.install.set_ini("Mail", "Options", "NO_HOST_LOOKUP | ALLOW_POP3")
        open(srv.install.path("ctrl", "recycle"), "w").close()
        self.assertTrue(srv.wait_output(r"Listening on POP3 .* port %d" % srv.ports["POP3Port"], timeout=6), srv.output)
        with srv.connect("POP3Port") as s:
            self.assertRegex(read_line(s), POP3_REPLY)

    def test_no_recycle_ignores_recycle_file(self):
        """CFG-94: with NO_RECYCLE a recycle file changes nothing"""
        srv = self.server(mail={"Options": "NO_RECYCLE"}, global_={"SemFileCheckFrequency": "1"})
        srv.install.set_ini("Mail", "Options", "NO_RECYCLE | ALLOW_POP3")
        open(srv.install.path("ctrl", "recycle.mail"), "w").close()
        self.assertFalse(srv.wait_output(r"Reloading", timeout=3))

    def test_shutdown_file_stops(self):
        """CFG-8: ctrl/shutdown stops the server cleanly"""
        srv = self.server(global_={"SemFileCheckFrequency": "1"})
        open(srv.install.path("ctrl", "shutdown"), "w").close()
        self.assertEqual(srv.wait_exit(5), 0, srv.output)


class CommandLine(unittest.TestCase):
    def install(self, source=None):
        inst = Install(source) if source else Install()
        self.addCleanup(inst.cleanup)
        return inst

    def test_help(self):
        r = run_cli(["--help"])
        self.assertEqual(r.returncode, 0)
        for word in ("--ctrl", "--check", "--version", "SBBSCTRL", "TLSCertFile"):
            self.assertIn(word, r.stdout)

    def test_version(self):
        r = run_cli(["--version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^sbbsmail \d+\.\d+\.\d+")

    def test_unknown_argument(self):
        r = run_cli(["--frobnicate"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--frobnicate", r.stdout)

    @unittest.skipUnless(os.path.isdir(MSGBASE), "shared msgbase fixture not present")
    def test_check_base_clean_fixture(self):
        """--check-base on an intact base written by the original reports nothing"""
        inst = self.install()
        base = inst.path("fixture-mail")
        os.mkdir(base)
        for f in os.listdir(os.path.join(MSGBASE, "mail")):
            if f.startswith("mail.s"):
                shutil.copy(os.path.join(MSGBASE, "mail", f), base)
        r = run_cli(["--check-base", os.path.join(base, "mail")])
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("0 problem(s)", r.stdout)

    @unittest.skipUnless(os.path.isdir(MSGBASE), "shared msgbase fixture not present")
    def test_check_base_damaged(self):
        """--check-base names the damaged file and exits non-zero"""
        inst = self.install()
        base = inst.path("fixture-mail")
        os.mkdir(base)
        for f in os.listdir(os.path.join(MSGBASE, "mail")):
            if f.startswith("mail.s"):
                shutil.copy(os.path.join(MSGBASE, "mail", f), base)
        with open(os.path.join(base, "mail.sid"), "r+b") as f:
            f.truncate(os.path.getsize(os.path.join(base, "mail.sid")) - 3)
        r = run_cli(["--check-base", os.path.join(base, "mail")])
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("mail.sid", r.stdout)

    def test_check_sample_install_is_clean(self):
        """--check on the repo's sample install reports no problem"""
        inst = self.install()
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn(" 0 fatal", r.stdout)
        self.assertNotIn("error:", r.stdout)

    @unittest.skipUnless(os.path.isdir(FIXTURE), "shared fixture install not present")
    def test_check_fixture_install_is_clean(self):
        """--check on the shared fixture install reports nothing fatal"""
        inst = self.install(FIXTURE)
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_ctrl_from_environment(self):
        """CFG-1: without --ctrl the SBBSCTRL environment variable names the ctrl directory"""
        inst = self.install()
        r = run_cli(["--check"], env={"SBBSCTRL": inst.ctrl})
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn(os.path.join(inst.ctrl, "tls-cert.pem"), r.stdout)

    def test_check_names_bad_flag_with_file_and_line(self):
        """CFG-30: an unknown Options flag is reported as sbbs.ini:LINE"""
        inst = self.install()
        inst.set_ini("Mail", "Options", "ALLOW_POP3 | NO_SUCH_FLAG")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertIn("sbbs.ini:%d:" % inst.line_of("Options"), r.stdout)
        self.assertIn("NO_SUCH_FLAG", r.stdout)

    def test_check_names_bad_duration_with_file_and_line(self):
        """CFG-27: an unparsable duration is reported as sbbs.ini:LINE"""
        inst = self.install()
        inst.set_ini("Mail", "MaxInactivity", "soon")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertIn("sbbs.ini:%d:" % inst.line_of("MaxInactivity"), r.stdout)

    def test_check_missing_main_ini_is_fatal(self):
        """CFG-168: a missing main.ini is fatal and named"""
        inst = self.install()
        os.remove(inst.path("ctrl", "main.ini"))
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("main.ini", r.stdout)

    def test_check_port_out_of_range_is_fatal(self):
        """CFG-26 CFG-168: a port above 65535 is a start-up error naming the line"""
        inst = self.install()
        inst.set_ini("Mail", "SMTPPort", "70000")
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("sbbs.ini:%d:" % inst.line_of("SMTPPort"), r.stdout)

    def test_check_reports_missing_user_base(self):
        """ISSUE13-3: --check names a missing data/user/user.tab (a fresh install before the BBS made its sysop)"""
        inst = self.install()
        os.remove(inst.path("data", "user", "user.tab"))
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertIn("warning: " + inst.path("data", "user", "user.tab") + ": user base not found", r.stdout)
        self.assertNotIn(" 0 problem(s)", r.stdout)

    def test_check_does_not_start_or_write(self):
        """--check only reads: no listener, no generated files"""
        inst = self.install()
        r = run_cli(["--ctrl", inst.ctrl, "--check"])
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertFalse(os.path.exists(inst.path("ctrl", "tls-cert.pem")))


if __name__ == "__main__":
    unittest.main()
