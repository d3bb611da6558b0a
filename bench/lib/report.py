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
    ("mixed", r"^sbbsmail\.(pop3_)?login(_ms)?$|^login_ms p99$", r"", "p99_ms", 100.0, "login p99 <=100 ms"),
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
        self.sense = ""      # what the ratio divides, when not sbbsmail's rate / the peer's
        self.peer_text = ""  # the peer's value when it is not a figure (a latency)


def _ratio_for(node, peer):
    ratios = node.get("ratios")
    if isinstance(ratios, dict) and num(ratios.get(peer)) is not None:
        return ratios[peer]
    return num(node.get("ratio"))


COST_SENSE = "peer/sbbsmail cost, >1 = sbbsmail spends less"
TIME_SENSE = "peer/sbbsmail time, >1 = sbbsmail faster"


def is_duration(key):
    return key.endswith("_s") and not key.endswith("_per_s")


def figure_pairs(bench, figures, ratios):
    """curves/'s "figures": {name: {"sbbsmail": cost, peer: cost}}, one row
    each, with the bench's ratio (the peer's cost over ours) where it gave one."""
    ratios = ratios if isinstance(ratios, dict) else {}
    rows = []
    for name, sides in figures.items():
        if not isinstance(sides, dict) or num(sides.get("sbbsmail")) is None:
            continue
        peers = [k for k, v in sides.items() if k != "sbbsmail" and num(v) is not None] or [""]
        for peer in peers:
            r = Row(bench, name, {"median": sides["sbbsmail"]}, peer,
                    {"median": sides[peer]} if peer else None, num(ratios.get(name)))
            r.sense = COST_SENSE if r.ratio is not None else ""
            rows.append(r)
    return rows


def side_by_side(node):
    """("sbbsmail", peer) when node holds each server's figures in a dict of
    its own and ratios between them (mixed/), else None."""
    if not isinstance(node.get("ratios"), dict) or not isinstance(node.get("sbbsmail"), dict) \
            or is_figure(node["sbbsmail"]):
        return None
    peers = [k for k, v in node.items() if k != "sbbsmail" and isinstance(v, dict) and not is_figure(v)
             and k not in ("ratios", "figures", "curves", "machine") and not k.startswith("_")
             and any(is_figure(x) or is_latency(x) for x in v.values())]
    return ("sbbsmail", peers[0]) if len(peers) == 1 else None


def _latency_text(v):
    return "p99 %s ms (p50 %s)" % (v["p99"], v.get("p50"))


def side_pairs(bench, node, ours_key, peer_key):
    """One row per ratio of a side-by-side node: "accepted" pairs each
    side's accepted_per_s, "login_p99" each side's login_ms p99."""
    ours, peer = node[ours_key], node[peer_key]
    rows, paired, names = [], set(), set()
    for name, ratio in node["ratios"].items():
        if num(ratio) is None:
            continue
        if name.endswith("_p99"):
            key = name[:-4] + "_ms"
            if not (is_latency(ours.get(key)) and is_latency(peer.get(key))):
                continue
            r = Row(bench, key + " p99", None, peer_key, None, ratio, _latency_text(ours[key]))
            r.peer_text, r.p99, r.sense = _latency_text(peer[key]), ours[key]["p99"], TIME_SENSE
        else:
            key = name + "_per_s"
            if not (is_figure(ours.get(key)) and is_figure(peer.get(key))):
                continue
            r = Row(bench, key, ours[key], peer_key, peer[key], ratio)
        rows.append(r)
        paired.add(key)
        names.add(name)
    return rows, paired, names


def duration_peer(node, key):
    """For sbbsmail_drain_s: the peer's postfix_drain_s, when there is one."""
    if not key.startswith("sbbsmail_"):
        return None
    what = key[len("sbbsmail"):]
    found = [k for k, v in node.items() if k != key and k.endswith(what) and is_figure(v)]
    return found[0] if len(found) == 1 else None


def duration_pairs(bench, node, path):
    """sbbsmail_drain_s beside postfix_drain_s: one row, no goal (the goal is
    on the rate), ratio = the peer's time over ours."""
    rows, keys = [], set()
    for key in node:
        peer_key = duration_peer(node, key) if is_figure(node[key]) else None
        if not peer_key:
            continue
        keys |= {key, peer_key}
        what = key[len("sbbsmail_"):]
        ours, peer = node[key], node[peer_key]
        ratio = round(peer["median"] / ours["median"], 2) if num(peer.get("median")) and \
            num(ours.get("median")) else None
        r = Row(bench, ("%s.%s" % (path, what)) if path else what, ours,
                peer_key[:-len(what) - 1], peer, ratio)
        r.sense = TIME_SENSE if ratio is not None else ""
        rows.append(r)
    return rows, keys


def comparison_rows(bench, node, path):
    """Rows for every comparison at this level (a "sbbsmail" figure beside
    peer figures, "figures" pairs, one dict per server, ratios), with the
    keys those rows already show and the per-server dicts' names."""
    rows, shown, pair_names = [], set(), set()
    if isinstance(node.get("figures"), dict):
        rows += figure_pairs(bench, node["figures"], node.get("ratios"))
    sides = side_by_side(node) or ()
    if sides:
        pair_rows, shown, pair_names = side_pairs(bench, node, *sides)
        rows += pair_rows
    if is_figure(node.get("sbbsmail")):
        # peers are servers; derived figures (postfix_delivered_per_s, ...) and
        # each side's durations (sbbsmail_drain_s, postfix_drain_s) are not
        peers = [k for k, v in node.items() if k != "sbbsmail" and is_figure(v) and "_per_" not in k
                 and not is_duration(k)]
        for peer in peers or [""]:
            rows.append(Row(bench, path or "-", node["sbbsmail"], peer, node.get(peer),
                            _ratio_for(node, peer)))
        shown |= set(peers)
        if isinstance(node.get("ratios"), dict):
            rows += [Row(bench, path or "-", None, k, None, num(v)) for k, v in node["ratios"].items()
                     if k not in peers and num(v) is not None]
        drain_rows, drain_keys = duration_pairs(bench, node, path)
        rows += drain_rows
        shown |= drain_keys
    else:
        # ratios given without a sbbsmail figure beside them (the bench's own
        # summary): the ones paired above already show both sides, and the
        # headline "ratio" repeats one of "ratios" when it has them
        ratios = node.get("ratios") if isinstance(node.get("ratios"), dict) else {}
        named = set(pair_names) | set(node.get("figures") or {})
        if num(node.get("ratio")) is not None and node["ratio"] not in ratios.values():
            rows.append(Row(bench, path or "-", None, "peer", None, node["ratio"]))
        rows += [Row(bench, ("%s.%s" % (path, k)) if path else k, None, "peer", None, num(v))
                 for k, v in ratios.items() if num(v) is not None and k not in named]
    return rows, shown, sides


def walk(bench, node, path=""):
    """Rows for every comparison, standalone figure, latency summary and
    *_per_s number under node."""
    if not isinstance(node, dict):
        return []
    rows, shown, sides = comparison_rows(bench, node, path)
    for key, value in node.items():
        sub = "%s.%s" % (path, key) if path else key
        if key in ("ratio", "ratios", "figures") or (key == "sbbsmail" and is_figure(value)):
            continue
        if key in sides:  # each side's figures that no ratio pairs
            rows += walk(bench, {k: v for k, v in value.items() if k not in shown}, sub)
            continue
        if key in SKIP_KEYS or key.startswith("_") or key in shown:
            continue
        if is_figure(value):
            rows.append(Row(bench, sub, value))
        elif is_latency(value):
            rows.append(Row(bench, sub, text="p50 %s / p99 %s ms" % (value.get("p50"), value["p99"])))
            rows[-1].p99 = value["p99"]
        elif isinstance(value, dict):
            rows += walk(bench, value, sub)
        elif (key.endswith("_per_s") or "instructions_per_" in key) and num(value) is not None:
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
    if re.search(r"cpu|instructions|kib", row.path) or is_duration(last):
        return  # costs, sizes and durations (drain_s) have no floor
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


def slope_text(curve, values):
    """The absolute growth per 1,000 x units (messages, KiB) from the first
    point to the last, so sub-ms differences read as what they are."""
    xs = curve.get("x") if isinstance(curve.get("x"), list) else []
    pts = [(x, point(v)) for x, v in zip(xs, values) if num(x) is not None and point(v) is not None]
    if len(pts) < 2 or pts[-1][0] == pts[0][0]:
        return ""
    slope = (pts[-1][1] - pts[0][1]) / (pts[-1][0] - pts[0][0]) * 1000
    unit = str(curve.get("unit", ""))
    unit = "msgs/s" if "/s" in unit else unit.split(" ")[0]
    return "; %+.4g %s per 1,000 %s" % (slope, unit, curve.get("x_unit", ""))


def keyed_curves(node):
    """basecurve/'s {"accept_instructions_per_message_1_rcpt": {"0": n,
    "10000": n, ...}}: each dict keyed by base size as a curve."""
    found = []
    for key, value in node.items():
        if not isinstance(value, dict) or not value or not all(str(k).isdigit() for k in value):
            continue
        xs = sorted(value, key=int)
        if not all(num(value[x]) is not None for x in xs):
            continue
        curve = {"x": [int(x) for x in xs], "x_unit": "messages in the base",
                 "series": {"sbbsmail": [value[x] for x in xs]},
                 "unit": base_unit(key), "every_point": True}
        if "expiry" in key:  # paid once per 1-5 s when an age bound expires, not per message
            curve["no_goal"] = "n/a (per expiry, not per message)"
        found.append((key, curve))
    return found


def base_unit(key):
    m = re.match(r"accept_instructions_per_message_(\d+)_rcpt$", key)
    if m:
        return "instructions per accepted message, %s recipient%s" % (m.group(1), "" if m.group(1) == "1" else "s")
    if key == "age_bound_instructions_per_expiry":
        return "instructions per expiry of the age bounds (index pass, table scans)"
    return key.replace("_", " ")


def unwrap(bench, data):
    """basecurve/ prints {"basecurve": {...}}: its figures, one level down."""
    if not isinstance(data, dict) or list(data) != [bench]:
        return data
    inner = data[bench]
    if isinstance(inner, str) or (isinstance(inner, dict) and
                                  not any(isinstance(v, dict) and "series" in v for v in inner.values())):
        return inner  # a curves/ map {"curves": {name: curve}} is not a wrapper
    return data


def bench_curves(data):
    return curves_of(data) + keyed_curves(data)


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
        shown = pts if curve.get("every_point") else [pts[0], pts[-1]]
        r = Row(bench, "curve %s" % name, text="%s: %s %s (x%.2f%s)" % (
            sname, " -> ".join("%.4g" % p for p in shown), unit, growth, slope_text(curve, values)))
        if curve.get("no_goal"):
            r.goal, r.met = curve["no_goal"], ""
        else:
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
        inner = unwrap(bench, data)
        if isinstance(inner, str) and inner is not data:  # {"basecurve": "skipped: no valgrind"}
            notes.append("%s: %s" % (bench, inner))
            continue
        data = inner
        if not isinstance(data, dict) or "error" in data:
            notes.append("%s: failed (%s)" % (bench, data.get("error") if isinstance(data, dict) else data))
            continue
        found = walk(bench, data)
        for name, curve in bench_curves(data):
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


def ratio_sense(row):
    """What the ratio divides; blank for the usual sbbsmail rate / peer rate."""
    if row.ratio is None:
        return ""
    return row.sense or ("sbbsmail/peer rate, >1 = sbbsmail faster" if row.ours or row.text else
                         "as the bench gave it")


def table(rows):
    head = ("bench", "figure", "sbbsmail (or figure) median [min-max]", "peer median", "ratio", "ratio is",
            "goal", "met", "of floor")
    lines = [head]
    for r in rows:
        ours = r.text if r.text else fmt_fig(r.ours)
        peer = ("%s %s" % (r.peer_name, r.peer_text or fmt_fig(r.peer).split(" [")[0])) if r.peer_name else ""
        ratio = "%.2f" % r.ratio if r.ratio is not None else ("-" if r.peer_name else "")
        lines.append((r.bench, r.path, ours, peer, ratio, ratio_sense(r), r.goal, r.met, r.floor))
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
