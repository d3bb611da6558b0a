#!/usr/bin/env python3
"""Runs every test (Catch2 unit binaries, then the end-to-end suite) and ends
with the line "N passed, N failed" (", N skipped" when some were)."""
import argparse, glob, os, subprocess, sys, tempfile, xml.etree.ElementTree as ET, json
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def skipped_cases(root):
    """Test cases that returned after SBBS_SKIP (tests/support/skip.h): a
    WARN starting "skipped:". Catch2 counts them as successes."""
    n = 0
    for tc in root.iter("TestCase"):
        ok = tc.find("OverallResult")
        if ok is not None and ok.get("success") == "true" and any(
                (w.text or "").strip().startswith("skipped:") for w in tc.iter("Warning")):
            n += 1
    return n


def run_unit(binary):
    """Returns (passed, failed, skipped, output-to-show)."""
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        xml_path = f.name
    try:
        proc = subprocess.run([binary, "-r", "xml", "-o", xml_path], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
        try:
            root = ET.parse(xml_path).getroot()
            cases = root.find("OverallResultsCases")
            passed, failed = int(cases.get("successes")), int(cases.get("failures"))
            skipped = skipped_cases(root)
            passed -= skipped
        except Exception:
            passed, failed, skipped = 0, 1, 0  # crashed before the report was complete
        show = ""
        if failed or proc.returncode != 0:
            failed = max(failed, 1)
            again = subprocess.run([binary], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=1200)
            show = again.stdout.decode(errors="replace")[-20000:]
        return passed, failed, skipped, show
    finally:
        os.unlink(xml_path)


def run_e2e(build):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    env = dict(os.environ, SBBSMAIL_BIN=os.path.join(ROOT, build, "sbbsmail"))
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tests/e2e/run_e2e.py"), "--json", out],
                          cwd=ROOT, env=env, timeout=3600)
    try:
        with open(out) as f:
            r = json.load(f)
        return r["passed"], r["failed"], r["skipped"]
    except Exception:
        return 0, 1, 0
    finally:
        os.unlink(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--unit-only", action="store_true")
    ap.add_argument("--e2e-only", action="store_true")
    a = ap.parse_args()
    passed = failed = skipped = 0
    if not a.e2e_only:
        bins = sorted(glob.glob(os.path.join(ROOT, a.build, "tests", "*_test")))
        with ThreadPoolExecutor(max_workers=2) as pool:
            for b, (p, f, s, show) in zip(bins, pool.map(run_unit, bins)):
                print(f"unit {os.path.basename(b)}: {p} passed, {f} failed" + (f", {s} skipped" if s else ""),
                      flush=True)
                if show:
                    print(show)
                passed += p
                failed += f
                skipped += s
    if not a.unit_only:
        p, f, s = run_e2e(a.build)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
