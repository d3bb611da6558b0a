"""Rewrites the block between the lines <!-- bench-figures:begin --> and
<!-- bench-figures:end --> in each README given, from latest.json: the date
and machine of the run, every sbbsmail ÷ peer ratio with its goal, the floors,
and links to the plots, so the READMEs quote the figures the JSON holds.

Usage: readme_figures.py latest.json README.md [bench/README.md ...]
"""
import glob
import json
import os
import re
import sys

import report

BEGIN, END = "<!-- bench-figures:begin -->", "<!-- bench-figures:end -->"


def when_and_where(results):
    run = results.get("_run") if isinstance(results.get("_run"), dict) else {}
    m = run.get("machine") or (results.get("floors") or {}).get("machine") or {}
    date = run.get("ended") or "date not recorded in latest.json"
    if not m:
        return date, "machine not recorded in latest.json"
    where = "%s x %s, Linux %s, temp dir on %s" % (m.get("cores"), m.get("cpu"), m.get("kernel"), m.get("fs"))
    if m.get("tmpfs"):
        where += " (tmpfs: fdatasync figures flattered)"
    return date, where


def block(results, json_path, readme):
    rows, notes = report.collect(results)
    date, where = when_and_where(results)
    lines = [BEGIN, "", "Latest `make bench` (%s; %s), from `bench/results/latest.json` by "
             "`bench/lib/readme_figures.py`. A ratio is sbbsmail's rate over the peer's, or the peer's "
             "cost or time over sbbsmail's where marked: above 1, sbbsmail does better:" % (date, where), "",
             "| bench | figure | sbbsmail | peer | ratio | goal | met |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.ratio is not None or r.goal:
            ours = r.text or report.fmt_fig(r.ours)
            peer = ("%s %s" % (r.peer_name, r.peer_text or report.fmt_fig(r.peer))) if r.peer_name else ""
            ratio = "**%.2f**" % r.ratio if r.ratio is not None else ""
            if r.sense:  # a cost or a time: the peer's over ours
                ratio += " (%s)" % r.sense
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (r.bench, r.path, ours, peer, ratio, r.goal, r.met))
    floors = report.floors_of(results)
    if floors:
        lines += ["", "Floors in the same run: " + ", ".join("%s %.4g" % kv for kv in sorted(floors.items())) + "."]
    missing = [n.split(":")[0] for n in notes if n.endswith("not in this run")]
    other = [n for n in notes if not n.endswith("not in this run")]
    if missing:
        lines += ["", "Not in that run: %s." % ", ".join("`%s`" % m for m in missing)]
    if other:
        lines += ["", "Failed or empty in that run: " + "; ".join(other) + "."]
    out_dir = os.path.dirname(os.path.abspath(json_path))
    pngs = sorted(glob.glob(os.path.join(out_dir, "*.png")))
    if pngs:
        rel = [os.path.relpath(p, os.path.dirname(os.path.abspath(readme))) for p in pngs]
        lines += ["", "Plots: " + ", ".join("[%s](%s)" % (os.path.basename(p), p) for p in rel) + "."]
    return "\n".join(lines + ["", END])


def rewrite(readme, text):
    with open(readme) as f:
        old = f.read()
    # markers on lines of their own: prose may quote them inline
    pattern = re.compile("^" + re.escape(BEGIN) + "$.*?^" + re.escape(END) + "$", re.S | re.M)
    if not pattern.search(old):
        raise ValueError("%s has no %s ... %s block" % (readme, BEGIN, END))
    with open(readme, "w") as f:
        f.write(pattern.sub(lambda _m: text, old, count=1))


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-1])
        return 2
    with open(sys.argv[1]) as f:
        results = json.load(f)
    status = 0
    for readme in sys.argv[2:]:
        try:
            rewrite(readme, block(results, sys.argv[1], readme))
            print("readme: %s updated" % readme)
        except (OSError, ValueError) as e:
            print("readme_figures: %s" % e)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
