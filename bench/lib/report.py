"""The bench run at a glance (issue #14 item 6): reads bench/results/latest.json
and prints one table (bench, figure, sbbsmail median [min-max], peer median,
ratio, the issue's goal and whether it is met, the figure as a fraction of its
floor), draws a PNG per curve found under any bench's "curves" key and a bar
chart of every ratio, next to the JSON. Benches that are missing, failed or
shaped unexpectedly are reported as such, never a crash.

Usage: report.py [latest.json]
"""
import json
import os
import re
import sys

EXPECTED = ("floors", "smtp", "pop3", "pop3_fair", "msgbase", "outbound", "mixed", "curves")
SKIP_KEYS = ("curves", "machine", "units", "runs_done")
FLAT_FACTOR = 1.5  # a curve is "flat" when its last point is within 1.5x of its first

# The goals: (bench, path pattern, peer pattern, "ratio" >= or "p99_ms" <=, value, text).
GOALS = (
    ("smtp", r"^rcpt1$", r"postfix", "ratio", 4.0, ">=4x Postfix"),
    ("smtp", r"rcpt100", r"postfix", "ratio", 3.0, ">=3x Postfix"),
    ("pop3", r"^-$", r"tuned", "ratio", 2.0, ">=2x tuned Dovecot"),
    ("outbound", r"^-$", r"postfix", "ratio", 2.0, ">=2x Postfix"),
    ("mixed", r"^sbbsmail\.(pop3_)?login(_ms)?$", r"", "p99_ms", 100.0, "login p99 <=100 ms"),
    ("pop3_fair", r"10000.*under_writers.*login", r"", "p99_ms", 100.0, "login p99 <=100 ms"),
)


def is_figure(v):
    return isinstance(v, dict) and "median" in v and ("runs" in v or "min" in v)


def is_latency(v):
    return isinstance(v, dict) and isinstance(v.get("p99"), (int, float))


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


class Row:
    def __init__(self, bench, path, ours=None, peer_name="", peer=None, ratio=None, text=None):
        self.bench, self.path, self.ours, self.peer_name = bench, path, ours, peer_name
        self.peer, self.ratio, self.text = peer, ratio, text
        self.goal, self.met, self.floor = "", "", ""


def _ratio_for(node, peer):
    ratios = node.get("ratios")
    if isinstance(ratios, dict) and num(ratios.get(peer)) is not None:
        return ratios[peer]
    return num(node.get("ratio"))


def walk(bench, node, path=""):
    """Rows for every comparison (a "sbbsmail" figure beside peer figures),
    standalone figure, latency summary and *_per_s number under node."""
    if not isinstance(node, dict):
        return []
    rows = []
    if is_figure(node.get("sbbsmail")):
        # peers are servers; derived figures (postfix_delivered_per_s, ...) are rows of their own
        peers = [k for k, v in node.items() if k != "sbbsmail" and is_figure(v) and "_per_" not in k]
        for peer in peers or [""]:
            rows.append(Row(bench, path or "-", node["sbbsmail"], peer, node.get(peer),
                            _ratio_for(node, peer)))
        if isinstance(node.get("ratios"), dict):
            rows += [Row(bench, path or "-", None, k, None, num(v)) for k, v in node["ratios"].items()
                     if k not in peers and num(v) is not None]
    else:
        # ratios given without a sbbsmail figure beside them (the bench's own summary)
        if num(node.get("ratio")) is not None:
            rows.append(Row(bench, path or "-", None, "peer", None, node["ratio"]))
        if isinstance(node.get("ratios"), dict):
            rows += [Row(bench, ("%s.%s" % (path, k)) if path else k, None, "peer", None, num(v))
                     for k, v in node["ratios"].items() if num(v) is not None]
    for key, value in node.items():
        sub = "%s.%s" % (path, key) if path else key
        if key in ("ratio", "ratios"):
            continue
        if key in SKIP_KEYS or key.startswith("_") or \
                (is_figure(node.get("sbbsmail")) and is_figure(value) and "_per_" not in key):
            continue
        if is_figure(value):
            rows.append(Row(bench, sub, value))
        elif is_latency(value):
            rows.append(Row(bench, sub, text="p50 %s / p99 %s ms" % (value.get("p50"), value["p99"])))
            rows[-1].p99 = value["p99"]
        elif isinstance(value, dict):
            rows += walk(bench, value, sub)
        elif key.endswith("_per_s") and num(value) is not None:
            rows.append(Row(bench, sub, {"median": value}))
    return rows


def floors_of(results):
    fl = results.get("floors")
    if not isinstance(fl, dict):
        return {}
    return {k: v["median"] for k, v in fl.items() if is_figure(v) and num(v.get("median"))}


def apply_floor(row, bench_json, floors):
    """The figure as a fraction of the floor that bounds it, where one does."""
    if not row.ours or num(row.ours.get("median")) is None or row.bench == "floors":
        return
    last = row.path.split(".")[-1]
    if "cpu" in row.path or (last.endswith("_s") and not last.endswith("_per_s")):
        return  # costs and durations (drain_s) have no floor
    unit = str(bench_json.get("unit", "")) + " " + row.path
    value, floor, name = row.ours["median"], None, ""
    if re.search(r"accepted|delivered", unit) and "rcpt100" not in row.path:
        floor, name = floors.get("smtp_sink_msgs_per_s"), "smtp-sink"
    elif "retrieved" in unit and num(bench_json.get("msg_bytes")):
        floor, name = floors.get("loopback_bytes_per_s"), "loopback"
        value = value * bench_json["msg_bytes"]
    elif row.bench == "msgbase" and row.path.startswith("adds"):
        floor, name = floors.get("append_fdatasync_per_s"), "append+fdatasync"
    if floor:
        row.floor = "%.3g of %s" % (value / floor, name)


def apply_goal(row):
    for bench, path_re, peer_re, kind, limit, text in GOALS:
        if row.bench != bench or not re.search(path_re, row.path) or not re.search(peer_re, row.peer_name):
            continue
        row.goal = text
        if kind == "ratio":
            row.goal_ratio = limit
        if kind == "ratio" and row.ratio is not None:
            row.met = "yes" if row.ratio >= limit else "NO"
        elif kind == "p99_ms" and hasattr(row, "p99"):
            row.met = "yes" if row.p99 <= limit else "NO"
        return
    if row.bench == "pop3" and row.path == "-" and "dovecot" in row.peer_name:
        row.goal, row.met = ">=2x tuned Dovecot", "n/a (stock peer)"


def curves_of(node, path=""):
    """(name, curve) for every curve under a "curves" key, at any depth."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "curves":
                items = value.items() if isinstance(value, dict) else \
                    [(c.get("name", str(i)), c) for i, c in enumerate(value) if isinstance(c, dict)] \
                    if isinstance(value, list) else []
                found += [((path + "." if path else "") + str(n), c) for n, c in items if isinstance(c, dict)]
            elif isinstance(value, dict):
                found += curves_of(value, (path + "." if path else "") + key)
    return found


def point(v):
    """A curve point's value: a number, a figure's median, or None."""
    return v["median"] if is_figure(v) else num(v)


def curve_rows(bench, name, curve):
    """One row per series: first -> last point and whether that is flat."""
    rows, unit = [], str(curve.get("unit", ""))
    series = curve.get("series") if isinstance(curve.get("series"), dict) else {}
    for sname, values in series.items():
        pts = [point(v) for v in values] if isinstance(values, list) else []
        pts = [p for p in pts if p is not None]
        if len(pts) < 2 or not pts[0]:
            continue
        growth = pts[-1] / pts[0]
        rate = "/s" in unit
        flat = (growth >= 1 / FLAT_FACTOR) if rate else (growth <= FLAT_FACTOR)
        r = Row(bench, "curve %s" % name, text="%s: %.4g -> %.4g %s (x%.2f)" % (sname, pts[0], pts[-1], unit, growth))
        r.goal, r.met = "flat (within x%.1f)" % FLAT_FACTOR, "yes" if flat else "NO"
        rows.append(r)
    return rows


def collect(results):
    """Every row of the table, with the benches that are missing or failed."""
    floors = floors_of(results)
    rows, notes = [], []
    for bench in [b for b in EXPECTED if b not in results]:
        notes.append("%s: not in this run" % bench)
    # floors first, as bench/run.sh runs them: the rest is read against them
    for bench, data in sorted(results.items(), key=lambda kv: kv[0] != "floors"):
        if bench.startswith("_"):
            continue
        if not isinstance(data, dict) or "error" in data:
            notes.append("%s: failed (%s)" % (bench, data.get("error") if isinstance(data, dict) else data))
            continue
        found = walk(bench, data)
        for name, curve in curves_of(data):
            found += curve_rows(bench, name, curve)
        if not found:
            notes.append("%s: no figures in its JSON" % bench)
        for r in found:
            apply_floor(r, data, floors)
            apply_goal(r)
        rows += found
    return rows, notes


def fmt_fig(f):
    if not f or num(f.get("median")) is None:
        return "-"
    if num(f.get("min")) is None:
        return "%.6g" % f["median"]
    runs = f.get("runs") if isinstance(f.get("runs"), list) else []
    failed = sum(1 for r in runs if r is None)
    text = "%.6g [%.6g-%.6g]" % (f["median"], f["min"], f["max"])
    return text + (" (%d of %d runs failed)" % (failed, len(runs)) if failed else "")


def table(rows):
    head = ("bench", "figure", "sbbsmail (or figure) median [min-max]", "peer median", "ratio", "goal", "met", "of floor")
    lines = [head]
    for r in rows:
        ours = r.text if r.text else fmt_fig(r.ours)
        peer = ("%s %s" % (r.peer_name, fmt_fig(r.peer).split(" [")[0])) if r.peer_name else ""
        ratio = "%.2f" % r.ratio if r.ratio is not None else ("-" if r.peer_name else "")
        lines.append((r.bench, r.path, ours, peer, ratio, r.goal, r.met, r.floor))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    return ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json"
    try:
        with open(path) as f:
            results = json.load(f)
    except (OSError, ValueError) as e:
        print("report: cannot read %s: %s" % (path, e))
        return 1
    if not isinstance(results, dict):
        print("report: %s is not a JSON object" % path)
        return 1
    rows, notes = collect(results)
    run = results.get("_run") if isinstance(results.get("_run"), dict) else {}
    if (run.get("machine") or {}).get("tmpfs") or "warning" in (results.get("floors") or {}):
        print("*** WARNING: the temp dir was on tmpfs: durable-write figures and floors are a RAM disk's")
    print("\n".join(table(rows)))
    for n in notes:
        print("note: " + n)
    import plots
    for line in plots.draw(results, rows, os.path.dirname(os.path.abspath(path))):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
