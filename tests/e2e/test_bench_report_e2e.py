"""ISSUE14-6: the bench report (bench/lib/report.py, readme_figures.py) on
synthetic latest.json files shaped as every bench writes them, including the
outbound/, mixed/ and curves/ shapes and benches that failed or are missing:
the table, the goals, the floor fractions and the README block. No server,
no timing: the scripts run on files in a temp dir."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = os.path.join(ROOT, "bench", "lib")


def fig(*runs):
    ok = sorted(r for r in runs if r is not None)
    return {"min": ok[0], "median": ok[len(ok) // 2], "max": ok[-1], "runs": list(runs)}


SYNTHETIC = {
    "floors": {"bench": "floors", "runs": 3, "load_avg_start": 1.0, "load_avg_end": 1.2,
               "machine": {"path": "/tmp/x", "fs": "ext4", "tmpfs": False, "kernel": "6.1.0",
                           "cpu": "Test CPU", "cores": 2},
               "append_fdatasync_per_s": fig(400.0, 500.0, 600.0),
               "overwrite_fdatasync_per_s": fig(900.0, 1000.0, 1100.0),
               "loopback_bytes_per_s": fig(1e9, 2e9, 3e9),
               "smtp_sink_msgs_per_s": fig(4000.0, 5000.0, 6000.0)},
    "smtp": {"bench": "smtp", "unit": "accepted messages/s", "load_avg_start": 1, "load_avg_end": 2,
             "rcpt1": {"recipients": 1, "sbbsmail": fig(2000.0, 2500.0, 2600.0),
                       "postfix": fig(500.0, 600.0, 700.0), "ratio": 4.17,
                       "postfix_delivered_per_s": fig(300.0, 400.0, 450.0)},
             "rcpt100": {"recipients": 100, "sbbsmail": fig(90.0, None, 100.0),
                         "postfix": fig(40.0, 50.0, 60.0), "ratio": None}},
    "pop3": {"bench": "pop3", "unit": "retrieved messages/s", "msg_bytes": 4096,
             "load_avg_start": 1, "load_avg_end": 2,
             "sbbsmail": fig(30000.0, 40000.0, 41000.0), "dovecot": fig(20000.0, 21000.0, 22000.0),
             "dovecot_tuned": fig(25000.0, 26000.0, 27000.0),
             "ratios": {"dovecot": 1.9, "dovecot_tuned": 1.54}},
    "outbound": {"bench": "outbound", "unit": "delivered messages/s", "load_avg_start": 1, "load_avg_end": 2,
                 "sbbsmail": fig(800.0, 900.0, 950.0), "postfix": fig(300.0, 350.0, 400.0), "ratio": 2.57,
                 "drain_s": {"sbbsmail": fig(2.1, 2.2, 2.5), "postfix": fig(5.0, 5.7, 6.0)}},
    "mixed": {"bench": "mixed", "load_avg_start": 3, "load_avg_end": 4,
              "sbbsmail": {"accepted_per_s": fig(1.0, 2.0, 3.0),
                           "pop3_login": {"p50": 4.0, "p99": 150.0, "n": 200}},
              "postfix_dovecot": {"accepted_per_s": fig(1.0, 1.5, 2.0)}},
    "curves": {"bench": "curves", "load_avg_start": 1, "load_avg_end": 1,
               "ratios": {"cpu_per_accepted_vs_postfix": 1.8, "broken": None},
               "curves": {"pop3_login_vs_mailbox": {"x": [10, 100, 1000, 10000], "x_unit": "messages",
                                                    "unit": "ms",
                                                    "series": {"sbbsmail": [1.0, 1.1, 1.2, 1.3],
                                                               "dovecot": [1.0, 2.0, 4.0, 9.0]}},
                          "accept_vs_base": {"x": [0, 50000], "x_unit": "stored messages",
                                             "unit": "messages/s",
                                             "series": {"sbbsmail": [fig(1800.0, 1900.0, 2000.0),
                                                                     fig(1000.0, 1100.0, 1200.0)]}}}},
    "pop3_fair": {"bench": "pop3_fair", "unit": "ms", "load_avg_start": 1, "load_avg_end": 1,
                  "sbbsmail": {"10000": {"idle": {"n": 10, "login": {"p50": 1.0, "p99": 2.0, "max": 2.0}},
                                         "under_writers": {"n": 99, "login": {"p50": 3.0, "p99": 40.0,
                                                                              "max": 50.0}}},
                               "1000": {"error": "filling failed"}}},
    "outbound_tuned": {"error": "sbbsmail did not become ready"},
    "_run": {"started": "2026-12-07T19:00:00Z", "ended": "2026-12-07T19:15:00Z",
             "machine": {"fs": "ext4", "tmpfs": False, "kernel": "6.1.0", "cpu": "Test CPU", "cores": 2}},
}

# The shapes the benches printed in the first full run (2026-12-07): curves/
# "figures" beside its ratios, mixed/ one dict per server with ratios between
# them, outbound/ each side's drain time as sbbsmail_drain_s / postfix_drain_s,
# basecurve/ one level down under its own name with figures keyed by base size.
AS_RUN = {
    "curves": {"bench": "curves",
               "figures": {"cpu_ms_per_accepted_msg": {"sbbsmail": 0.47, "postfix": 1.65},
                           "pss_kib_per_100_idle_pop3_sessions": {"sbbsmail": 2256.0, "dovecot": 114168.0},
                           "instructions_per_accepted_msg": {"sbbsmail": 401155}},
               "ratios": {"cpu_ms_per_accepted_msg": 3.51, "pss_kib_per_100_idle_pop3_sessions": 50.61},
               "curves": {"pop3_login_ms_by_mailbox": {"x": [10, 100, 1000, 10000],
                                                       "x_unit": "messages in the mailbox", "unit": "ms",
                                                       "series": {"sbbsmail": [0.386, 0.439, 0.613, 1.183]}}}},
    "mixed": {"bench": "mixed", "unit": "messages/s; latencies in ms", "msg_bytes": 4096,
              "sbbsmail": {"accepted_per_s": fig(1300.0, 1301.7, 1302.8),
                           "login_ms": {"p50": 0.54, "p99": 36.38, "max": 97.0},
                           "quit_ms": {"p50": 0.98, "p99": 17.01}, "sessions": [1, 2, 3]},
              "postfix_dovecot": {"accepted_per_s": fig(414.0, 438.3, 495.2),
                                  "login_ms": {"p50": 66.36, "p99": 343.79},
                                  "quit_ms": {"p50": 4.23, "p99": 33.77}},
              "ratios": {"accepted": 2.97, "login_p99": 9.45, "quit_p99": 1.99}, "ratio": 2.97},
    "outbound": {"bench": "outbound", "unit": "messages/s",
                 "sbbsmail": fig(641.8, 677.9, 716.8), "postfix": fig(768.7, 827.2, 849.3),
                 "sbbsmail_drain_s": fig(2.8, 3.0, 3.1), "postfix_drain_s": fig(2.4, 2.4, 2.6), "ratio": 0.82},
    "basecurve": {"basecurve": {"accept_instructions_per_message_1_rcpt": {"0": 59547, "10000": 59582,
                                                                           "30000": 59677, "50000": 59575},
                                "age_bound_instructions_per_expiry": {"0": 528424, "50000": 6984731},
                                "header_read_instructions_per_header": 5030}},
}


class BenchReport(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sbbsmail-report-")
        self.json = os.path.join(self.tmp, "latest.json")
        with open(self.json, "w") as f:
            json.dump(SYNTHETIC, f)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_lib(self, script, *args):
        proc = subprocess.run([sys.executable, os.path.join(LIB, script)] + list(args), cwd=self.tmp,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        return proc.returncode, proc.stdout.decode()

    def line(self, out, *words):
        hits = [ln for ln in out.splitlines() if all(w in ln for w in words)]
        self.assertTrue(hits, "no line with %s in:\n%s" % (words, out))
        return hits[0]

    def test_issue14_6_table_goals_floors(self):
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        rcpt1 = self.line(out, "smtp", "rcpt1 ", "postfix 600")
        self.assertIn("4.17", rcpt1)
        self.assertIn(">=4x Postfix", rcpt1)
        self.assertIn("yes", rcpt1)
        self.assertIn("0.5 of smtp-sink", rcpt1)  # 2500 / 5000
        rcpt100 = self.line(out, "smtp", "rcpt100")
        self.assertIn("(1 of 3 runs failed)", rcpt100)
        self.assertNotIn("smtp-sink", rcpt100)  # 100 recipients is not the sink's workload
        tuned = self.line(out, "pop3", "dovecot_tuned")
        self.assertIn("1.54", tuned)
        self.assertIn("NO", tuned)
        self.assertIn("0.0819 of loopback", tuned)  # 40000 * 4096 / 2e9
        self.assertIn("n/a (stock peer)", self.line(out, "pop3", "dovecot 21000"))
        self.assertIn("yes", self.line(out, "outbound", "2.57"))
        drain = self.line(out, "outbound", "drain_s")
        self.assertNotIn("of smtp-sink", drain)  # a duration has no floor
        self.assertNotIn("Postfix", drain)
        self.assertNotIn(">=4x", self.line(out, "rcpt1.postfix_delivered_per_s"))
        self.assertIn("NO", self.line(out, "mixed", "pop3_login", "p99 150"))
        self.assertIn("NO", self.line(out, "curve", "dovecot: 1 -> 9"))
        self.assertIn("yes", self.line(out, "curve", "sbbsmail: 1 -> 1.3"))
        self.assertIn("NO", self.line(out, "accept_vs_base", "1900 -> 1100"))
        self.line(out, "note: outbound_tuned: failed (sbbsmail did not become ready)")
        self.assertIn("yes", self.line(out, "pop3_fair", "10000.under_writers.login", "p99 40.0"))
        self.assertNotIn("<=100", self.line(out, "pop3_fair", "10000.idle.login"))
        self.line(out, "note: msgbase: not in this run")
        self.assertIn("1.80", self.line(out, "curves", "cpu_per_accepted_vs_postfix"))

    def test_issue14_6_both_sides_of_every_ratio_as_the_benches_print_them(self):
        with open(self.json, "w") as f:
            json.dump(AS_RUN, f)
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        cpu = self.line(out, "curves", "cpu_ms_per_accepted_msg")
        self.assertIn("0.47", cpu)
        self.assertIn("postfix 1.65", cpu)
        self.assertIn("3.51", cpu)
        self.assertIn("peer/sbbsmail cost, >1 = sbbsmail spends less", cpu)
        self.assertIn("dovecot 114168", self.line(out, "pss_kib_per_100_idle_pop3_sessions", "50.61"))
        self.assertNotIn("smtp-sink", self.line(out, "instructions_per_accepted_msg", "401155"))
        self.assertNotIn("peer -", out)  # every ratio shows the two figures it divides
        accepted = self.line(out, "mixed", "accepted_per_s", "1301.7")
        self.assertIn("postfix_dovecot 438.3", accepted)
        self.assertIn("2.97", accepted)
        login = self.line(out, "mixed", "login_ms p99", "p99 36.38")
        self.assertIn("postfix_dovecot p99 343.79", login)
        self.assertIn("9.45", login)
        self.assertIn("login p99 <=100 ms", login)
        self.assertIn("yes", login)
        self.assertIn("postfix_dovecot p99 33.77", self.line(out, "mixed", "quit_ms p99"))
        mixed = [ln for ln in out.splitlines() if ln.startswith("mixed") and "2.97" in ln]
        self.assertEqual(len(mixed), 1, mixed)  # the headline ratio is not a row of its own
        outbound = [ln for ln in out.splitlines() if ln.startswith("outbound")]
        self.assertEqual(len(outbound), 2, outbound)
        self.assertIn("postfix 827.2", outbound[0])
        self.assertIn("0.82", outbound[0])
        self.assertIn(">=2x Postfix", outbound[0])
        self.assertIn("drain_s", outbound[1])
        self.assertIn("postfix 2.4", outbound[1])
        self.assertNotIn("Postfix", outbound[1])  # the goal is on the rate
        self.assertNotIn("0.82", outbound[1])
        self.assertNotIn("basecurve: no figures", out)
        one = self.line(out, "basecurve", "accept_instructions_per_message_1_rcpt")
        self.assertIn("5.955e+04 -> 5.958e+04 -> 5.968e+04 -> 5.958e+04", one)
        self.assertIn("yes", one)
        expiry = self.line(out, "basecurve", "age_bound_instructions_per_expiry")
        self.assertIn("5.284e+05 -> 6.985e+06", expiry)
        self.assertNotIn("flat", expiry)  # paid per expiry, not per message
        self.line(out, "basecurve", "header_read_instructions_per_header", "5030")
        login_curve = self.line(out, "curve pop3_login_ms_by_mailbox", "0.386 -> 1.183")
        self.assertIn("+0.07978 ms per 1,000 messages in the mailbox", login_curve)
        self.assertIn("NO", login_curve)  # the slope is shown, the x1.5 verdict stays
        rc, again = self.run_lib("report.py", self.json)
        self.assertEqual(again, out)  # the same JSON, the same report

    def test_issue14_6_basecurve_skipped_is_a_note(self):
        with open(self.json, "w") as f:
            json.dump({"basecurve": {"basecurve": "skipped: no valgrind"}}, f)
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        self.line(out, "note: basecurve: skipped: no valgrind")

    def test_issue14_6_plots_or_a_clear_skip(self):
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            self.line(out, "plots skipped: python3-matplotlib is not installed")
            return
        stale = os.path.join(self.tmp, "curves-gone.png")
        with open(stale, "wb") as f:
            f.write(b"old run")
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        self.assertFalse(os.path.exists(stale))  # a curve no longer in the JSON is not left to be linked
        for png in ("curves-pop3_login_vs_mailbox.png", "curves-accept_vs_base.png", "ratios.png"):
            with open(os.path.join(self.tmp, png), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", png)

    def test_issue14_6_broken_or_odd_json_is_reported_not_fatal(self):
        with open(self.json, "w") as f:
            json.dump({"smtp": "oops", "curves": {"curves": [{"name": "c", "x": "bad"}]},
                       "weird": {"sbbsmail": {"median": None, "runs": []}}}, f)
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        self.line(out, "note: smtp: failed")
        self.line(out, "note: floors: not in this run")

    def test_issue14_5_tmpfs_run_is_marked_loudly(self):
        SYNTHETIC_TMPFS = json.loads(json.dumps(SYNTHETIC))
        SYNTHETIC_TMPFS["_run"]["machine"]["tmpfs"] = True
        with open(self.json, "w") as f:
            json.dump(SYNTHETIC_TMPFS, f)
        rc, out = self.run_lib("report.py", self.json)
        self.assertEqual(rc, 0, out)
        self.line(out, "WARNING: the temp dir was on tmpfs")
        rc, out = self.run_lib("report.py", self.json.replace("latest", "other"))
        self.assertNotEqual(rc, 0)  # no JSON: said, not a traceback
        self.line(out, "report: cannot read")

    def test_issue14_5_machine_refuses_tmpfs(self):
        with open("/proc/mounts") as f:
            tmpfs = [ln.split()[1] for ln in f if ln.split()[2:3] == ["tmpfs"]]
        if not tmpfs:
            self.skipTest("no tmpfs mounted anywhere")
        where = tmpfs[0]
        env = dict(os.environ)
        env.pop("BENCH_ALLOW_TMPFS", None)
        refused = subprocess.run([sys.executable, os.path.join(LIB, "machine.py"), where], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        self.assertEqual(refused.returncode, 3)
        self.assertIn(b"BENCH_ALLOW_TMPFS=1", refused.stderr)
        self.assertTrue(json.loads(refused.stdout)["tmpfs"])
        env["BENCH_ALLOW_TMPFS"] = "1"
        allowed = subprocess.run([sys.executable, os.path.join(LIB, "machine.py"), where], env=env,
                                 stdout=subprocess.PIPE, timeout=60)
        self.assertEqual(allowed.returncode, 0)
        self.assertEqual(json.loads(allowed.stdout)["fs"], "tmpfs")

    def test_issue14_6_readme_block_rewritten_from_json(self):
        readme = os.path.join(self.tmp, "README.md")
        with open(readme, "w") as f:
            f.write("# x\n\nbefore `<!-- bench-figures:begin -->` and `<!-- bench-figures:end -->` quoted\n"
                    "<!-- bench-figures:begin -->\nstale 9.99\n<!-- bench-figures:end -->\nafter\n")
        rc, out = self.run_lib("readme_figures.py", self.json, readme)
        self.assertEqual(rc, 0, out)
        with open(readme) as f:
            text = f.read()
        self.assertNotIn("stale 9.99", text)
        self.assertTrue(text.startswith("# x\n\nbefore `<!-- bench-figures:begin -->` and "
                                        "`<!-- bench-figures:end -->` quoted\n<!-- bench-figures:begin -->\n"))
        self.assertTrue(text.endswith("<!-- bench-figures:end -->\nafter\n"))
        self.assertIn("2026-12-07T19:15:00Z; 2 x Test CPU, Linux 6.1.0, temp dir on ext4", text)
        self.assertIn("| smtp | rcpt1 | 2500 [2000-2600] | postfix 600 [500-700] | **4.17** | >=4x Postfix | yes |",
                      text)
        self.assertIn("smtp_sink_msgs_per_s 5000", text)
        with open(self.json, "w") as f:
            json.dump(AS_RUN, f)
        rc, out = self.run_lib("readme_figures.py", self.json, readme)
        self.assertEqual(rc, 0, out)
        with open(readme) as f:
            text = f.read()
        self.assertIn("| curves | cpu_ms_per_accepted_msg | 0.47 | postfix 1.65 | **3.51** "
                      "(peer/sbbsmail cost, >1 = sbbsmail spends less) |  |  |", text)
        self.assertIn("| mixed | login_ms p99 | p99 36.38 ms (p50 0.54) | postfix_dovecot p99 343.79 ms "
                      "(p50 66.36) | **9.45** (peer/sbbsmail time, >1 = sbbsmail faster) | "
                      "login p99 <=100 ms | yes |", text)

    def test_issue14_6_readme_without_markers_is_an_error(self):
        readme = os.path.join(self.tmp, "README.md")
        with open(readme, "w") as f:
            f.write("# no markers\n")
        rc, out = self.run_lib("readme_figures.py", self.json, readme)
        self.assertNotEqual(rc, 0)
        self.assertIn("no <!-- bench-figures:begin -->", out)


if __name__ == "__main__":
    unittest.main()
