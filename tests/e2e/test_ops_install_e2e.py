"""Issue #17 items 1, 2 and 5: make install / make deb and the man page, the
systemd unit and the sd_notify protocol against a fake NOTIFY_SOCKET, the
privilege drop when started as root, the JSON-lines log, the log reopen on
SIGHUP (logrotate) and the layering of src/log and src/util."""
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

import harness
from harness import BIN, ROOT, Install, SbbsMail, read_line

MANDOC = shutil.which("mandoc")
DPKG_DEB = shutil.which("dpkg-deb")
LINTIAN = shutil.which("lintian")
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
LOGROTATE = shutil.which("logrotate")
IS_ROOT = os.geteuid() == 0


def make(*args, timeout=300):
    """`make` in the repo for the binary under test: -o keeps make from
    rebuilding it (it may be the ASan build named by SBBSMAIL_BIN)."""
    cmd = ["make", "-s", "--no-print-directory", "-o", BIN, "SERVER=" + BIN] + list(args)
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout)


def tree(root):
    """Every file under `root`, as paths relative to it."""
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out


class InstallTest(unittest.TestCase):
    @unittest.skipUnless(MANDOC, "mandoc not installed (apt-get install mandoc)")
    def test_issue17_1a_man_page_lints_clean(self):
        r = subprocess.run([MANDOC, "-T", "lint", "-W", "warning", os.path.join(ROOT, "man", "sbbsmail.8")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)
        page = open(os.path.join(ROOT, "man", "sbbsmail.8")).read()
        # Every option of --help is documented, and the keys of our own.
        for opt in re.findall(r"^\s+(--[a-z-]+)", subprocess.run([BIN, "--help"], stdout=subprocess.PIPE,
                                                                  text=True).stdout, re.M):
            self.assertIn("Fl " + opt[1:], page)
        for key in ("RunAsUser", "LogJSON", "TLSCertFile", "DeliveryThreads", "SIGHUP", "EXIT STATUS"):
            self.assertIn(key, page)

    def test_issue17_1b_make_install_and_uninstall_honour_prefix_and_destdir(self):
        dest = tempfile.mkdtemp(prefix="sbbsmail-destdir-")
        try:
            r = make("install", "DESTDIR=" + dest, "PREFIX=/opt/sm")
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertEqual(tree(dest), {"opt/sm/sbin/sbbsmail", "opt/sm/share/man/man8/sbbsmail.8",
                                          "opt/sm/lib/systemd/system/sbbsmail.service",
                                          "etc/logrotate.d/sbbsmail"})
            self.assertTrue(os.access(os.path.join(dest, "opt/sm/sbin/sbbsmail"), os.X_OK))
            unit = open(os.path.join(dest, "opt/sm/lib/systemd/system/sbbsmail.service")).read()
            self.assertIn("ExecStart=/opt/sm/sbin/sbbsmail\n", unit)
            r = make("uninstall", "DESTDIR=" + dest, "PREFIX=/opt/sm")
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertEqual(tree(dest), set())
        finally:
            shutil.rmtree(dest, ignore_errors=True)

    @unittest.skipUnless(DPKG_DEB, "dpkg-deb not installed")
    def test_issue17_1c_make_deb_contents_lintian_and_install_into_a_root(self):
        r = make("deb", timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout)
        deb = r.stdout.strip().splitlines()[-1]
        deb = deb if os.path.isabs(deb) else os.path.join(ROOT, deb)
        contents = subprocess.run([DPKG_DEB, "-c", deb], stdout=subprocess.PIPE, text=True, check=True).stdout
        for path in ("./usr/sbin/sbbsmail", "./usr/share/man/man8/sbbsmail.8.gz",
                     "./lib/systemd/system/sbbsmail.service", "./etc/logrotate.d/sbbsmail",
                     "./usr/share/doc/sbbsmail/copyright"):
            self.assertRegex(contents, r"root/root .* %s\n" % re.escape(path))
        info = subprocess.run([DPKG_DEB, "-f", deb, "Package", "Depends"], stdout=subprocess.PIPE, text=True).stdout
        self.assertIn("Package: sbbsmail", info)
        self.assertRegex(info, r"Depends: .*libssl")
        if LINTIAN:
            lint = subprocess.run([LINTIAN, "--tag-display-limit", "0", deb], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300).stdout
            print("\nlintian:\n" + lint)
        # dpkg -i into a root of our own, never the real system, then removal.
        root = tempfile.mkdtemp(prefix="sbbsmail-dpkgroot-")
        try:
            os.makedirs(os.path.join(root, "var/lib/dpkg/info"))
            os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
            open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
            dpkg = ["dpkg", "--root=" + root, "--force-depends", "--force-script-chrootless",
                    "--force-not-root", "--log=/dev/null"]
            r = subprocess.run(dpkg + ["-i", deb], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertTrue(os.path.isfile(os.path.join(root, "usr/sbin/sbbsmail")))
            r = subprocess.run(dpkg + ["--purge", "sbbsmail"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertFalse(os.path.exists(os.path.join(root, "usr/sbin/sbbsmail")))
            self.assertFalse(os.path.exists(os.path.join(root, "etc/logrotate.d/sbbsmail")))
        finally:
            shutil.rmtree(root, ignore_errors=True)

    @unittest.skipUnless(SYSTEMD_ANALYZE, "systemd-analyze not installed (apt-get install systemd)")
    def test_issue17_2a_unit_passes_systemd_analyze_verify(self):
        dest = tempfile.mkdtemp(prefix="sbbsmail-unit-")
        try:
            # PREFIX inside the temp dir: verify checks that ExecStart exists.
            r = make("install", "PREFIX=" + dest, "SYSCONFDIR=" + dest + "/etc")
            self.assertEqual(r.returncode, 0, r.stdout)
            unit = os.path.join(dest, "lib/systemd/system/sbbsmail.service")
            # MANPATH: verify also checks that Documentation=man:sbbsmail(8) opens.
            env = dict(os.environ, MANPATH=os.path.join(dest, "share", "man"))
            r = subprocess.run([SYSTEMD_ANALYZE, "verify", unit], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=60, env=env)
            problems = [l for l in r.stdout.splitlines() if "sbbsmail" in l]
            self.assertEqual(r.returncode, 0, r.stdout)
            self.assertEqual(problems, [], r.stdout)
            text = open(unit).read()
            for line in ("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                         "ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes"):
                self.assertIn(line + "\n", text)
        finally:
            shutil.rmtree(dest, ignore_errors=True)


class NotifySocket:
    """A fake systemd notification socket (unix datagrams)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="sbbsmail-notify-")
        self.path = os.path.join(self.dir, "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)

    def next(self, timeout=15):
        self.sock.settimeout(timeout)
        return self.sock.recv(4096).decode()

    def close(self):
        self.sock.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class NotifyTest(unittest.TestCase):
    def test_issue17_2b_ready_reloading_stopping_over_notify_socket(self):
        ns = NotifySocket()
        try:
            srv = SbbsMail(env={"NOTIFY_SOCKET": ns.path})
            with srv:
                msg = ns.next()
                self.assertIn("READY=1", msg.split("\n"))
                s = srv.connect("SMTPPort")        # listeners are up once READY=1 is sent
                self.assertTrue(read_line(s).startswith("220"))
                s.close()
                srv.signal(signal.SIGHUP)
                msg = ns.next()
                self.assertIn("RELOADING=1", msg.split("\n"))
                self.assertRegex(msg, r"MONOTONIC_USEC=\d+")
                self.assertIn("READY=1", ns.next().split("\n"))
                srv.signal(signal.SIGTERM)
                self.assertIn("STOPPING=1", ns.next().split("\n"))
                self.assertEqual(srv.wait_exit(2), 0, "a stop must complete within 2 s\n" + srv.output)
        finally:
            ns.close()

    def test_issue17_2b_runs_without_notify_socket(self):
        env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
        srv = SbbsMail()
        srv.env = env
        with srv:
            s = srv.connect("SMTPPort")
            self.assertTrue(read_line(s).startswith("220"))
            s.close()


def free_low_port():
    """A free TCP port below 1024 on 127.0.0.1 (we are root), or None."""
    for port in range(940, 1000):
        s = socket.socket()
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            s.close()
    return None


def proc_ids(pid):
    with open("/proc/%d/status" % pid) as f:
        status = f.read()
    uid = [int(x) for x in re.search(r"^Uid:\s+(.*)$", status, re.M).group(1).split()]
    gid = [int(x) for x in re.search(r"^Gid:\s+(.*)$", status, re.M).group(1).split()]
    caps = int(re.search(r"^CapEff:\s+(\w+)$", status, re.M).group(1), 16)
    return uid, gid, caps


@unittest.skipUnless(IS_ROOT, "n/a: the privilege drop needs root")
class PrivilegeDropTest(unittest.TestCase):
    def test_issue17_2c_root_start_becomes_data_owner_and_serves_a_low_port(self):
        import pwd
        nobody = pwd.getpwnam("nobody")
        install = Install()
        try:
            srv = SbbsMail(install=install)
            low = free_low_port()
            self.assertIsNotNone(low)
            install.set_ini("Mail", "SMTPPort", str(low))
            srv.ports["SMTPPort"] = low
            subprocess.run(["chown", "-R", "%d:%d" % (nobody.pw_uid, nobody.pw_gid), install.root], check=True)
            with srv:
                uid, gid, caps = proc_ids(srv.proc.pid)
                self.assertEqual(uid, [nobody.pw_uid] * 4)
                self.assertEqual(gid, [nobody.pw_gid] * 4)
                self.assertEqual(caps, 1 << 10, "only CAP_NET_BIND_SERVICE is kept")
                s = srv.connect("SMTPPort")
                self.assertTrue(read_line(s).startswith("220"))
                s.close()
                p = srv.connect("POP3Port")
                self.assertTrue(read_line(p).startswith("+OK"))
                p.close()
                self.assertIn("Running as user nobody", srv.output)
                log = install.path("data", "logs", "mail.log")
                self.assertTrue(harness.eventually(lambda: os.path.exists(log)))
                self.assertEqual(os.stat(log).st_uid, nobody.pw_uid)
                self.assertEqual(os.stat(install.path("data", "sbbsmail.db")).st_uid, nobody.pw_uid)
        finally:
            install.cleanup()

    def test_issue17_2c_unknown_run_as_user_refuses_to_run_as_root(self):
        with _TempInstall() as install:
            srv = SbbsMail(install=install, mail={"RunAsUser": "no-such-user-17"})
            srv.start(wait_ready=False)
            self.assertEqual(srv.wait_exit(15), 1, srv.output)
            self.assertIn("Refusing to run as root", srv.output)
            self.assertFalse(os.path.exists(install.path("data", "logs", "mail.log")))


class _TempInstall:
    def __enter__(self):
        self.install = Install()
        return self.install

    def __exit__(self, *exc):
        self.install.cleanup()
        return False


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


class LogTest(unittest.TestCase):
    def test_issue17_5a_json_lines_log_has_the_same_events(self):
        with _TempInstall() as install:
            with SbbsMail(install=install, mail={"LogJSON": "mail.jsonl", "LogLevel": "Debug"}) as srv:
                s = srv.connect("SMTPPort")
                read_line(s)
                s.sendall(b"EHLO json.example\r\n")
                while not read_line(s).startswith("250 "):
                    pass
                s.sendall(b"NOOP \x01\xff\"\\ caf\xc3\xa9\r\nQUIT\r\n")
                read_line(s)
                read_line(s)
                s.close()
                self.assertEqual(srv.stop(), 0)
            text_lines = read_lines(install.path("data", "logs", "mail.log"))
            with open(install.path("data", "logs", "mail.jsonl"), "rb") as f:
                raw = f.read().splitlines()
            events = [json.loads(l) for l in raw]     # every line one valid JSON object
            self.assertEqual(len(events), len(text_lines))
            for e in events:
                self.assertRegex(e["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
                self.assertIn(e["level"], ("emergency", "alert", "critical", "error", "warning", "notice",
                                           "info", "debug"))
                self.assertIsInstance(e["text"], str)
            smtp = [e for e in events if e.get("protocol") == "SMTP" and e.get("client") == "127.0.0.1"]
            self.assertTrue(smtp, raw)
            self.assertTrue(all(isinstance(e["session"], int) and e["session"] > 0 for e in smtp))
            self.assertTrue(any("EHLO json.example" in e["text"] for e in smtp), raw)
            noop = [e for e in smtp if "NOOP" in e["text"]]
            self.assertTrue(noop, raw)
            self.assertIn("caf\u00e9", noop[0]["text"])      # UTF-8 kept; the bad byte is not

    def test_issue17_5b_sighup_reopens_mail_log_and_json_log(self):
        with _TempInstall() as install:
            logs = install.path("data", "logs")
            with SbbsMail(install=install, mail={"LogJSON": "mail.jsonl"}) as srv:
                for name in ("mail.log", "mail.jsonl"):
                    self.assertTrue(harness.eventually(lambda: os.path.exists(os.path.join(logs, name))))
                    os.rename(os.path.join(logs, name), os.path.join(logs, name + ".1"))   # logrotate's move
                srv.signal(signal.SIGHUP)
                self.assertTrue(srv.wait_output("Reloading the configuration", timeout=15))
                s = srv.connect("SMTPPort")
                read_line(s)
                s.sendall(b"QUIT\r\n")
                read_line(s)
                s.close()
                self.assertEqual(srv.stop(), 0)
            for name in ("mail.log", "mail.jsonl"):
                new = "\n".join(read_lines(os.path.join(logs, name)))
                old = "\n".join(read_lines(os.path.join(logs, name + ".1")))
                self.assertIn("Reloading the configuration", new)
                self.assertNotIn("Reloading the configuration", old)
                self.assertIn("QUIT", new)
                self.assertNotIn("QUIT", old)


class FailedReloadTest(unittest.TestCase):
    def test_issue17_5b_sighup_reopens_the_log_even_when_the_reload_fails(self):
        ns = NotifySocket()
        try:
            with _TempInstall() as install:
                logs = install.path("data", "logs")
                with SbbsMail(install=install, env={"NOTIFY_SOCKET": ns.path}) as srv:
                    self.assertIn("READY=1", ns.next().split("\n"))
                    self.assertTrue(harness.eventually(lambda: os.path.exists(os.path.join(logs, "mail.log"))))
                    os.rename(os.path.join(logs, "mail.log"), os.path.join(logs, "mail.log.1"))
                    os.rename(install.path("ctrl", "main.ini"), install.path("ctrl", "main.ini.bak"))
                    srv.signal(signal.SIGHUP)
                    self.assertIn("RELOADING=1", ns.next().split("\n"))
                    self.assertIn("READY=1", ns.next().split("\n"))   # still serving the old snapshot
                    self.assertTrue(srv.wait_output("Reload failed", timeout=15), srv.output)
                    s = srv.connect("SMTPPort")
                    self.assertTrue(read_line(s).startswith("220"))
                    s.close()
                    self.assertEqual(srv.stop(), 0)
                new = "\n".join(read_lines(os.path.join(logs, "mail.log")))
                self.assertIn("Reload failed", new)
                self.assertNotIn("Reload failed", "\n".join(read_lines(os.path.join(logs, "mail.log.1"))))
        finally:
            ns.close()


class LogrotateTest(unittest.TestCase):
    @unittest.skipUnless(LOGROTATE, "logrotate not installed (apt-get install logrotate)")
    def test_issue17_5b_shipped_logrotate_snippet_rotates_a_running_server(self):
        with _TempInstall() as install:
            logs = install.path("data", "logs")
            with SbbsMail(install=install, mail={"LogJSON": "mail.jsonl"}) as srv:
                self.assertTrue(harness.eventually(lambda: os.path.exists(os.path.join(logs, "mail.jsonl"))))
                # The shipped snippet, pointed at this install and this process
                # (no systemd here: its postrotate line becomes a plain kill).
                with open(os.path.join(ROOT, "dist", "logrotate", "sbbsmail")) as f:
                    text = f.read()
                text = text.replace("/sbbs/data/logs/", logs + "/")
                text = re.sub(r"systemctl kill [^\n]*", "kill -HUP %d" % srv.proc.pid, text)
                conf = install.path("logrotate.conf")
                with open(conf, "w") as f:
                    f.write(text)
                os.chmod(conf, 0o644)
                r = subprocess.run([LOGROTATE, "-f", "-s", install.path("logrotate.state"), conf],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
                self.assertEqual(r.returncode, 0, r.stdout)
                self.assertTrue(srv.wait_output("Reloading the configuration", timeout=15), srv.output)
                self.assertEqual(srv.stop(), 0)
            for name in ("mail.log", "mail.jsonl"):
                self.assertTrue(os.path.exists(os.path.join(logs, name + ".1")))   # delaycompress
                self.assertIn("Reloading the configuration", "\n".join(read_lines(os.path.join(logs, name))))


class LayeringTest(unittest.TestCase):
    def test_issue17_5c_log_and_util_include_nothing_above_them(self):
        allowed = {"log": ("log", "util"), "util": ("util",)}
        bad = []
        for module, ok in allowed.items():
            for path in glob.glob(os.path.join(ROOT, "src", module, "*")):
                with open(path, encoding="utf-8", errors="replace") as f:
                    for n, line in enumerate(f, 1):
                        m = re.match(r'\s*#\s*include\s+"([^/"]+)/', line)
                        if m and m.group(1) not in ok:
                            bad.append("%s:%d: %s" % (os.path.relpath(path, ROOT), n, line.strip()))
        self.assertEqual(bad, [])
        make_text = open(os.path.join(ROOT, "Makefile")).read()
        self.assertRegex(make_text, r"(?m)^DEPS_log := util$")
        self.assertRegex(make_text, r"(?m)^DEPS_util :=\s*$")


if __name__ == "__main__":
    unittest.main()
