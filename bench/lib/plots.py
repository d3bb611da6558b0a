"""PNGs of a bench run (issue #14 item 6), drawn by report.py next to
latest.json: <bench>-<curve>.png per curve (median with min-max bars when a
point is a figure) and ratios.png, every sbbsmail ÷ peer ratio as a bar with
the issue's goal marked on it.
Without Debian's python3-matplotlib it says so and draws nothing."""
import glob
import os
import re

import report


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def _curve_png(plt, bench, name, curve, out_dir):
    xs = curve.get("x")
    series = curve.get("series")
    if not isinstance(xs, list) or not isinstance(series, dict) or not xs:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.2))
    drawn = 0
    for sname, values in series.items():
        if not isinstance(values, list):
            continue
        pts = [(x, report.point(v), v) for x, v in zip(xs, values)
               if report.num(x) is not None and report.point(v) is not None]
        if not pts:
            continue
        x, y = [p[0] for p in pts], [p[1] for p in pts]
        lo = [p[1] - p[2]["min"] if report.is_figure(p[2]) and report.num(p[2].get("min")) is not None else 0
              for p in pts]
        hi = [p[2]["max"] - p[1] if report.is_figure(p[2]) and report.num(p[2].get("max")) is not None else 0
              for p in pts]
        ax.errorbar(x, y, yerr=[lo, hi], marker="o", capsize=3, label=str(sname))
        drawn += 1
    if not drawn:
        plt.close(fig)
        return None
    numeric = [x for x in xs if report.num(x) is not None and x > 0]
    if numeric and max(numeric) / min(numeric) >= 50:
        ax.set_xscale("log")  # 10 -> 10,000 messages, 1 KiB -> 10 MiB
    ax.set_xlabel(str(curve.get("x_unit", "")))
    ax.set_ylabel(str(curve.get("unit", "")))
    ax.set_title("%s: %s" % (bench, name))
    ax.grid(True, alpha=0.3)
    ax.legend()
    path = os.path.join(out_dir, "%s-%s.png" % (_safe(bench), _safe(name)))
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _ratios_png(plt, rows, out_dir):
    shown = [r for r in rows if r.ratio is not None and r.peer_name]
    bars = [("%s%s vs %s" % (r.bench, "" if r.path == "-" else " " + r.path, r.peer_name), r.ratio)
            for r in shown]
    if not bars:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(bars) + 1.2))
    labels, values = [b[0] for b in bars], [b[1] for b in bars]
    ax.barh(range(len(bars)), values, color=["tab:green" if v >= 1 else "tab:red" for v in values])
    ax.set_yticks(range(len(bars)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    if min(values) > 0 and max(values) / min(values) >= 20:
        ax.set_xscale("log")  # 0.39 beside 50.61 (memory per session): the small bars stay readable
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xlabel("ratio, >1: sbbsmail better (rates: ours/peer; costs, times: peer/ours)")
    for i, v in enumerate(values):
        ax.text(v, i, " %.2f" % v, va="center", fontsize=8)
    goals = [(i, getattr(r, "goal_ratio", None)) for i, r in enumerate(shown)]
    goals = [(i, g) for i, g in goals if g]
    if goals:  # the goal for that ratio, as a mark across its bar
        ax.scatter([g for _, g in goals], [i for i, _ in goals], marker="|", s=400, color="black",
                   zorder=3, label="goal")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path = os.path.join(out_dir, "ratios.png")
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def draw(results, rows, out_dir):
    """Draws the PNGs; returns the lines to print about them."""
    try:
        import matplotlib
        matplotlib.use("Agg")  # no display: files only
        import matplotlib.pyplot as plt
    except ImportError:
        return ["plots skipped: python3-matplotlib is not installed (scripts/deps.sh bench installs it)"]
    # PNGs of an earlier run would be linked from the READMEs as if current
    for old in glob.glob(os.path.join(out_dir, "*.png")):
        os.unlink(old)
    written = []
    for bench, data in results.items():
        data = report.unwrap(bench, data)
        if bench.startswith("_") or not isinstance(data, dict):
            continue
        for name, curve in report.bench_curves(data):
            p = _curve_png(plt, bench, name, curve, out_dir)
            if p:
                written.append(p)
    p = _ratios_png(plt, rows, out_dir)
    if p:
        written.append(p)
    return ["plot: %s" % os.path.relpath(p) for p in written]
