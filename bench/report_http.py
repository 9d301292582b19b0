#!/usr/bin/env python3
"""Turn the VM's HTTP benchmark output into a report a person can read.

    bench/report_http.py RESULTS_LOG OUT_DIR [--demo]

RESULTS_LOG holds the lines bench/vm/http.sh printed (HTTP, LIMIT, INFO,
CONFIG).  OUT_DIR receives http-report.md, http.csv and PNG plots made with
gnuplot.  The headline tables and the targets are also printed.  With --demo
only the demo's table is made (10 connections x 4 KiB, keep-alive and a
connection per request), printed with a sentence that says what it shows.

Exit status: 0, or 1 if a point failed (a wrong body, a client error, no
result).
"""
import csv
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True      # no bench/__pycache__ in the tree
import report  # noqa: E402  (the raw-log reader is shared)

ORDER = ["khttpd-event", "khttpd-kthread", "khttpd-relay-python",
         "khttpd-relay-nginx", "nginx", "lighttpd"]
LABEL = {
    "khttpd-event": "khttpd (event design, wq=spread)",
    "khttpd-kthread": "khttpd, kthread per connection",
    "nginx": "nginx",
    "lighttpd": "lighttpd",
    "khttpd-relay-python": "khttpd relaying to python3 http.server",
    "khttpd-relay-nginx": "khttpd relaying to nginx",
}
KTHREAD = "khttpd-kthread"
RELAY_PY = "khttpd-relay-python"
RELAY_NGINX = "khttpd-relay-nginx"
RELAYS = [RELAY_PY, RELAY_NGINX]
LOADS = ["keepalive", "pipeline", "close"]
LOAD_TITLE = {
    "keepalive": "keep-alive (wrk)",
    "pipeline": "pipelined, 16 requests in flight per connection (h2load --h1 -m 16)",
    "close": "a connection per request (ab, no keep-alive)",
}
LOAD_SHORT = {"keepalive": "keep-alive", "pipeline": "pipelined",
              "close": "connection per request"}
CLIENT = {"keepalive": "wrk", "pipeline": "h2load", "close": "ab"}
BASES = ["nginx", "lighttpd"]
KHTTPD = "khttpd-event"
USER_HZ = 100          # /proc/stat counts in 1/100 s on x86


def size_name(n):
    if n >= 1 << 20:
        return f"{n >> 20} MiB"
    if n >= 1 << 10:
        return f"{n >> 10} KiB"
    return f"{n} B"


def parse(path):
    info, lines = report.raw_lines(path)
    points, limits, configs = [], [], {}
    for kind, rest in lines:
        if kind in ("HTTP", "LIMIT"):
            v = report.json_of(rest)
            if v is not None:
                (points if kind == "HTTP" else limits).append(v)
        elif kind == "CONFIG":
            name, _, text = rest.partition(" ")
            configs.setdefault(name, []).append(text)
    return info, points, limits, configs


def ok(p):
    return bool(p.get("ok")) and p.get("requests", 0) > 0


def shape(p):
    return (p["load"], p["size"], p["conns"])


def groups(points):
    g = {}
    for p in points:
        g.setdefault((p["server"],) + shape(p), []).append(p)
    for ps in g.values():
        ps.sort(key=lambda p: p.get("round", 1))
    return g


def index(points):
    """One point per server and shape: a failed round if there is one (so
    failures show), else the median round by requests/s."""
    idx = {}
    for k, ps in groups(points).items():
        bad = [p for p in ps if not ok(p)]
        if bad:
            idx[k] = bad[0]
            continue
        ps = sorted(ps, key=lambda p: p["rps"])
        idx[k] = ps[(len(ps) - 1) // 2]
    return idx


def servers_of(points):
    seen = {p["server"] for p in points}
    return [s for s in ORDER if s in seen] + sorted(seen - set(ORDER))


def fmt_rate(v):
    if v >= 1e6:
        return f"{v / 1e6:.2f} M"
    if v >= 1e4:
        return f"{v / 1e3:.1f} k"
    if v >= 1e3:
        return f"{v / 1e3:.2f} k"
    return f"{v:.0f}" if v >= 100 else f"{v:.1f}"


def fmt_us(v):
    if v is None:
        return "?"
    if v >= 1e6:
        return f"{v / 1e6:.2f} s"
    if v >= 1e4:
        return f"{v / 1e3:.0f} ms"
    if v >= 1e3:
        return f"{v / 1e3:.1f} ms"
    return f"{v:.0f} µs"


def cpu_us(p):
    """µs of guest CPU (all vCPUs, client included) per request."""
    if not p.get("requests"):
        return None
    return p.get("cpu_busy_jiffies", 0) * (1e6 / USER_HZ) / p["requests"]


def failed_text(p):
    errs = {k: v for k, v in (p.get("errors") or {}).items() if v}
    what = ", ".join(f"{k} {v}" for k, v in errs.items()) or "no count"
    if p.get("check", "ok") != "ok":
        what = f"check {p['check']}"
    elif not errs and not p.get("requests"):
        what = f"no request completed in {p.get('secs', '?')} s"
    return f"**FAILED** ({what}; exit {p.get('exit')})"


def cell(p, latency=True):
    if p is None:
        return "not run"
    if not ok(p):
        return failed_text(p)
    s = fmt_rate(p["rps"])
    if latency and "p99_us" in p:
        s += f" ({fmt_us(p.get('p50_us'))} / {fmt_us(p['p99_us'])})"
    elif latency and p.get("mean_us"):
        s += f" (mean {fmt_us(p['mean_us'])})"
    return s


def rps(idx, server, k):
    p = idx.get((server,) + k)
    if p is None or not ok(p):
        return None
    return p["rps"]


def ratio(idx, a, b, k):
    x, y = rps(idx, a, k), rps(idx, b, k)
    return x / y if x and y else None


def fmt_ratio(r):
    return f"{r:.2f}×" if r else "–"


def skipped(limits):
    """The points not run, and why: (server, load, size, conns), the server
    "all" when no server ran it."""
    return {(m.get("server", "all"), m["load"], m["size"], m["conns"]): m["reason"]
            for m in limits if "load" in m}


def skip_of(skip, s, k):
    return skip.get((s,) + k) or skip.get(("all",) + k)


def unavailable(limits):
    out = {}
    for m in limits:
        if m.get("server") != "all" and "load" not in m:
            out.setdefault(m["server"], m.get("reason", "not run"))
    return out


def skip_text(conns, reason):
    """A skip reason, without repeating the shape it starts with."""
    head, sep, rest = reason.partition(": ")
    if sep and re.fullmatch(r"\d+ connections x \d+ [KM]iB", head):
        reason = rest
    if not conns:
        return reason
    return f"{conns} connection{'s' if conns > 1 else ''}: {reason}"


def setup_lines(info):
    qemu = subprocess.run(["qemu-system-x86_64", "--version"],
                          capture_output=True, text=True).stdout.split("\n")[0]
    return [
        f"- Guest kernel: {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPUs, "
        f"{int(info.get('mem_kib', '0')) // 1024} MiB; command line `{info.get('cmdline', '')}`",
        f"- Emulator: {qemu or 'qemu'}, **TCG software emulation (no KVM)** of "
        f"`{info.get('cpu_model', '?')}`, on a host of {os.cpu_count()} CPUs "
        "shared with other work",
        f"- Servers: khttpd (this tree), {info.get('nginx', 'nginx')}, "
        f"{info.get('lighttpd', 'lighttpd')}"
        + (f", {info['python3']} (`python3 -m http.server`, the relay's slow "
           "backend)" if info.get("python3", "missing") != "missing" else "")
        + ": Debian's binaries, run as root in the VM, configurations and "
        "command lines at the end of this report. *khttpd relaying to …* is "
        "khttpd with `proxy=all`: each request goes to the userspace server "
        "over a new kernel TCP connection and its response is streamed back",
        f"- Clients, Debian's: wrk {info.get('wrk', '?')}, {info.get('h2load', 'h2load')}, "
        f"ab {info.get('ab', '?')}, curl {info.get('curl', '?')}; in the same guest, "
        "sharing the vCPUs with the server",
        f"- Each point: {info.get('secs', '?')} s of load (wrk -d, h2load -D, ab -t), "
        "no warm-up beyond the check fetch; docroot on a tmpfs, files of random bytes",
        "- Checks: before each load curl fetches the file and `cmp` compares it "
        "with the original; during the load the client's own error counts are "
        "read (wrk: non-2xx/3xx, socket errors; h2load: failed, errored, timeout, "
        "non-2xx; ab: failed (connect, receive, length, exceptions), write errors, "
        "non-2xx). A point with any error is shown as **FAILED**, never as a figure.",
        "- Latency: p50 / p99 from wrk and ab (ab rounds to whole milliseconds); "
        "h2load gives only a mean. *CPU/req* is the busy time of the whole guest "
        "(both vCPUs, **client included**) over the load, divided by "
        "the requests served: an upper bound on the server's cost, comparable "
        "between servers only because the client is the same. Busy time is the "
        "load's wall time × vCPUs less the idle time in /proc/stat, which a "
        "tickless kernel measures exactly; /proc/stat's busy fields are the "
        "timer tick's samples and miss short bursts of work, so they are only "
        "recorded beside it (`cpu_tick_busy_jiffies`).",
        "- **All figures come from emulation**: every instruction is translated, "
        "system calls and interrupts cost far more than on hardware, and the host "
        "is shared. Compare servers as ratios within this run only; never compare "
        "absolute numbers with another run or with hardware.",
    ]


def table(idx, servers, load, size, conns_list, skip):
    head = "| server | " + " | ".join(f"{c} conn{'s' if c > 1 else ''}"
                                      for c in conns_list) + " |"
    rows = [head, "|---|" + "---:|" * len(conns_list)]
    for s in servers:
        cells = []
        for c in conns_list:
            if skip_of(skip, s, (load, size, c)):
                cells.append("skipped‡")
                continue
            p = idx.get((s, load, size, c))
            t = cell(p)
            if p is not None and ok(p) and cpu_us(p) is not None:
                t += f"; {cpu_us(p):.0f} µs CPU/req"
            cells.append(t)
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(cells) + " |")
    return rows


def ratio_table(idx, servers, load, size, conns_list, base):
    head = "| server | " + " | ".join(f"{c} conn{'s' if c > 1 else ''}"
                                      for c in conns_list) + " |"
    rows = [head, "|---|" + "---:|" * len(conns_list)]
    for s in servers:
        if s == base:
            continue
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(
            fmt_ratio(ratio(idx, s, base, (load, size, c))) for c in conns_list)
            + " |")
    return rows


def repeats(points, servers):
    g = groups(points)
    shapes = sorted({k[1:] for k, ps in g.items() if len(ps) > 1},
                    key=lambda k: (LOADS.index(k[0]) if k[0] in LOADS else 9,) + k[1:])
    rows = []
    for load, size, c in shapes:
        rows += [f"**{LOAD_SHORT.get(load, load)}, {size_name(size)}, {c} "
                 f"connections**: requests/s in each round (servers alternate "
                 "within a round); the tables use the median", "",
                 "| server | rounds | median | spread (max / min) |",
                 "|---|---|---:|---:|"]
        for s in servers:
            ps = g.get((s, load, size, c), [])
            if not ps:
                continue
            if any(not ok(p) for p in ps):
                rows.append(f"| {LABEL.get(s, s)} | "
                            + ", ".join(fmt_rate(p["rps"]) if ok(p) else "FAILED"
                                        for p in ps) + " | **FAILED** | – |")
                continue
            r = [p["rps"] for p in ps]
            med = sorted(r)[(len(r) - 1) // 2]
            rows.append(f"| {LABEL.get(s, s)} | {', '.join(fmt_rate(x) for x in r)} | "
                        f"{fmt_rate(med)} | {max(r) / min(r):.2f} |")
        rows.append("")
    return rows


def write_csv(points, path):
    fields = ["server", "round", "load", "client", "size", "conns", "secs",
              "ok", "check", "exit", "requests", "rps", "mean_us", "p50_us",
              "p75_us", "p90_us", "p99_us", "err_total", "cpu_busy_jiffies",
              "cpu_total_jiffies", "cpu_us_per_req", "mem_max_bytes", "errors"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for p in points:
            row = dict(p)
            row["ok"] = int(ok(p))
            c = cpu_us(p)
            row["cpu_us_per_req"] = f"{c:.1f}" if c is not None else ""
            row["errors"] = json.dumps(p.get("errors", {}), sort_keys=True)
            w.writerow([row.get(k, "") for k in fields])


def gnuplot(script):
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        print(f"# gnuplot failed: {r.stderr.strip()[:300]}", file=sys.stderr)
    return r.returncode == 0


def plot(idx, servers, out_dir, load, sizes, what):
    """One PNG per load: a panel per file size, requests/s (or p99) against
    connections, a line per server."""
    if what == "p99" and load == "pipeline":
        return None        # h2load gives no percentiles
    return plot_panels(idx, servers, out_dir, f"http-{load}",
                       [(f"{size_name(size)} file", load, size) for size in sizes],
                       what, LOAD_SHORT[load])


def plot_panels(idx, servers, out_dir, name, panels_of, what, subject):
    """NAME-WHAT.png: a panel per (title, load, size) of panels_of,
    requests/s (or p99) against connections, a line per server.  A panel
    whose rates span more than 20x gets a logarithmic y axis."""
    col = {"rps": "2", "p99": "($3 / 1000)"}[what]
    data = os.path.join(out_dir, f"{name}.dat")
    panels = []
    with open(data, "w") as f:
        blk = 0
        for title, load, size in panels_of:
            lines, rates = [], []
            for s in servers:
                pts = sorted((k[3], p) for k, p in idx.items()
                             if k[0] == s and k[1] == load and k[2] == size and ok(p))
                if not pts:
                    continue
                f.write(f'"{LABEL.get(s, s)}"\n')
                for c, p in pts:
                    f.write(f"{c} {p['rps']} {p.get('p99_us', p.get('mean_us', 0))}\n")
                    rates.append(p["rps"])
                f.write("\n\n")
                lines.append((blk, servers.index(s) + 1))
                blk += 1
            if lines:
                panels.append((title, lines, max(rates) / min(rates) > 20))
    if not panels:
        return None
    png = f"{name}-{what}.png"
    ylabel = "requests/s" if what == "rps" else "p99 latency (ms)"
    cols = 2 if len(panels) > 1 else 1
    rows = (len(panels) + cols - 1) // cols
    script = [f"set terminal pngcairo noenhanced size {560 * cols},{470 * rows + 40} "
              "font 'DejaVu Sans,9'",
              f"set output '{os.path.join(out_dir, png)}'",
              f"set multiplot layout {rows},{cols} title '{ylabel} vs connections, "
              f"{subject} (QEMU TCG, 2 vCPUs, client in the guest: "
              "compare ratios only)'",
              "set logscale x", "set xlabel 'connections'",
              f"set ylabel '{ylabel}'", "set grid", "set key below horizontal",
              "set offsets graph 0.05, graph 0.05, graph 0.08, 0"]
    # a server keeps its colour and mark in every panel
    colours = ["#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b",
               "#e377c2", "#7f7f7f"]
    for i, s in enumerate(servers):
        c = ORDER.index(s) if s in ORDER else i
        script.append(f"set style line {i + 1} lc rgb '{colours[c % len(colours)]}' "
                      f"lw 2 pt {c + 5} ps 1.2")
    for title, blocks, wide in panels:
        if what == "p99" or wide:
            script += ["set logscale y", "set yrange [*:*]"]
        else:
            script += ["unset logscale y", "set yrange [0:*]"]
        script.append(f"set title '{title}" + (", log scale" if wide and what == "rps"
                                                else "") + "'")
        script.append("plot " + ", ".join(
            f"'{data}' index {b} using 1:{col} with linespoints ls {ls} "
            "title columnheader(1)" for b, ls in blocks))
    script.append("unset multiplot")
    return png if gnuplot("\n".join(script) + "\n") else None


HEADLINE = [("keepalive", 4096, 10), ("keepalive", 4096, 100),
            ("close", 4096, 10), ("keepalive", 1 << 20, 10)]
DEMO = [("keepalive", 4096, 10), ("close", 4096, 10)]
TENFOLD = 10.0          # the seed's claim: in-kernel served ten times the relay
MEM_BOUND = 64 << 10    # "bounded": a connection never holds 1/16 of a 1 MiB file


def point_name(k):
    load, size, c = k
    return (f"{LOAD_SHORT.get(load, load)}, {size_name(size)} × {c} "
            f"connection{'s' if c > 1 else ''}")


def point_title(k, n_rounds):
    load, size, c = k
    med = f", median of {n_rounds} rounds" if n_rounds > 1 else ""
    return (f"HTTP {LOAD_SHORT[load]} ({CLIENT[load]}), {size_name(size)} file, "
            f"{c} connections: requests/s{med}; ratios = the server's requests/s "
            "÷ nginx's and ÷ lighttpd's (1.00× = as fast, above 1 = faster); "
            "CPU/req = µs of guest CPU per request, client included")


def spread_of(points, s, k):
    ps = [q for q in groups(points).get((s,) + k, []) if ok(q)]
    if len(ps) < 2:
        return "–"
    return (f"{max(q['rps'] for q in ps) / min(q['rps'] for q in ps):.2f} "
            f"({len(ps)} rounds)")


def headline_table(points, idx, servers, k, bases=("nginx",), absent=None):
    head = "| server | requests/s | CPU/req | spread (max / min) | " + " | ".join(
        f"vs {b}" for b in bases) + " |"
    rows = [head, "|---|---:|---:|---:|" + "---:|" * len(bases)]
    for s in servers:
        p = idx.get((s,) + k)
        if p is None:
            continue
        c = cpu_us(p) if ok(p) else None
        rows.append(f"| {LABEL.get(s, s)} | {cell(p, latency=False)} | "
                    f"{f'{c:.0f} µs' if c is not None else '–'} | "
                    f"{spread_of(points, s, k)} | "
                    + " | ".join(fmt_ratio(ratio(idx, s, b, k)) for b in bases) + " |")
    for s, why_not in (absent or {}).items():
        if s not in servers:
            rows.append(f"| {LABEL.get(s, s)} | not run: {why_not} | – | – | "
                        + " | ".join("–" for b in bases) + " |")
    return rows


def rounds_of(points, k):
    return max([len(ps) for kk, ps in groups(points).items() if kk[1:] == k] or [0])


def sentence(parts, none):
    parts = [p for p in parts if p]
    if not parts:
        return none
    s = "; ".join(parts)
    # khttpd keeps its lower case
    return (s if s.startswith("khttpd") else s[0].upper() + s[1:]) + "."


def failed_at(idx, s, k):
    p = idx.get((s,) + k)
    return p is not None and not ok(p)


def point_sentence(idx, k):
    """What one headline table shows, from its figures."""
    parts = []
    if failed_at(idx, KHTTPD, k):
        parts.append("khttpd's event design FAILED here (see Failed points)")
    else:
        rs = [f"{r:.2f}× {b}'s" for b in BASES if (r := ratio(idx, KHTTPD, b, k))]
        if rs:
            parts.append(f"here khttpd's event design served {' and '.join(rs)} "
                         "requests/s")
    if failed_at(idx, RELAY_PY, k):
        parts.append("khttpd relaying to python3 FAILED (see Failed points)")
    elif r := ratio(idx, KHTTPD, RELAY_PY, k):
        parts.append(f"khttpd served {r:.1f}× the requests/s of its relay to "
                     "python3")
    if failed_at(idx, RELAY_NGINX, k):
        parts.append("khttpd relaying to nginx FAILED (see Failed points)")
    elif r := ratio(idx, RELAY_NGINX, "nginx", k):
        parts.append(f"relaying to nginx kept {r:.2f}× of nginx's own requests/s")
    return sentence(parts, "No khttpd figure to compare at this point.")


def demo_title(info, points):
    n = rounds_of(points, DEMO[0])
    return ("HTTP: requests/s serving one 4 KiB file over 10 connections, "
            f"{info.get('secs', '?')} s per load"
            + (f", median of {n} rounds" if n > 1 else "")
            + "; keep-alive = wrk reusing its 10 connections, connection per "
            "request = ab opening a new connection for every request; "
            "÷ nginx = the server's requests/s divided by nginx's under the same "
            "load (1.00× = as fast, above 1 = faster). QEMU emulation with the "
            "client in the same guest: compare the ratios, not the rates.")


def demo_table(idx, servers, absent=None):
    rows = ["| server | keep-alive: requests/s | ÷ nginx | connection per request: "
            "requests/s | ÷ nginx |", "|---|---:|---:|---:|---:|"]
    for s in servers:
        if not any((s,) + k in idx for k in DEMO):
            continue
        cells = []
        for k in DEMO:
            cells += [cell(idx.get((s,) + k), latency=False),
                      fmt_ratio(ratio(idx, s, "nginx", k))]
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(cells) + " |")
    for s, why_not in (absent or {}).items():
        if s not in servers:
            rows.append(f"| {LABEL.get(s, s)} | not run: {why_not} | – | – | – |")
    return rows


def two_loads(vals, noun):
    """'1.88× NOUN with keep-alive and 0.63× with a connection per request',
    for the DEMO points with a figure."""
    out = [(f"{v:.2f}×" if v < 10 else f"{v:.1f}×", w)
           for v, w in zip(vals, ("with keep-alive", "with a connection per request"))
           if v]
    if not out:
        return ""
    return " and ".join([f"{out[0][0]} {noun} {out[0][1]}"]
                        + [f"{r} {w}" for r, w in out[1:]])


def demo_sentence(idx, absent=None):
    """What the demo table shows, computed from its figures."""
    parts = []
    bad = [LOAD_SHORT[k[0]] for k in DEMO if failed_at(idx, KHTTPD, k)]
    if bad:
        parts.append(f"khttpd FAILED with {' and '.join(bad)} (see Failed points)")
    vs_nginx = two_loads([ratio(idx, KHTTPD, "nginx", k) for k in DEMO],
                         "nginx's requests/s")
    if vs_nginx:
        parts.append(f"at 10 connections × 4 KiB khttpd served {vs_nginx}")
    rs = [r for k in DEMO if (r := ratio(idx, KHTTPD, RELAY_PY, k))]
    if rs:
        verdict = ("at least the seed's tenfold" if min(rs) >= TENFOLD else
                   "short of the seed's tenfold" if max(rs) < TENFOLD else
                   "the seed's tenfold with one load, not the other")
        parts.append("and " + two_loads(
            [ratio(idx, KHTTPD, RELAY_PY, k) for k in DEMO],
            "the requests/s of khttpd relaying every request to python3's "
            "http.server") + f": {verdict}")
    bad = [LOAD_SHORT[k[0]] for k in DEMO if failed_at(idx, RELAY_PY, k)]
    if bad:
        parts.append(f"the relay to python3 FAILED with {' and '.join(bad)} "
                     "(see Failed points)")
    if RELAY_PY in (absent or {}) and not any((RELAY_PY,) + k in idx for k in DEMO):
        parts.append(f"the relay to python3 was not run ({absent[RELAY_PY]}), so "
                     "the seed's tenfold claim is not measured")
    return sentence(parts, "No khttpd figure to compare.").replace("; and ", ", and ")


# --- the seed's claim: in-kernel against the relay to userspace Python ------

CLAIM_POINTS = [("keepalive", 4096, 10), ("close", 4096, 10)]


def claim_rows(points, idx):
    shapes = sorted({shape(p) for p in points if p["server"] == RELAY_PY
                     and p["load"] in ("keepalive", "close") and p["size"] == 4096},
                    key=lambda k: (LOADS.index(k[0]), k[2]))
    rows = ["| load, file × connections | rounds | khttpd event | khttpd kthread "
            "| khttpd relaying to python3 | event ÷ relay | kthread ÷ relay | "
            "relay to nginx ÷ relay to python3 |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for k in shapes:
        rows.append(f"| {point_name(k)}{' (headline)' if k in CLAIM_POINTS else ''} | "
                    f"{rounds_of(points, k)} | "
                    + " | ".join(cell(idx.get((s,) + k), latency=False) if (s,) + k in idx
                                 else "not run" for s in (KHTTPD, KTHREAD, RELAY_PY))
                    + " | " + " | ".join(fmt_ratio(ratio(idx, a, b, k)) for a, b in (
                        (KHTTPD, RELAY_PY), (KTHREAD, RELAY_PY), (RELAY_NGINX, RELAY_PY)))
                    + " |")
    return rows, shapes


def claim_section(points, idx, absent):
    md = ["## The seed's claim: in-kernel against a relay to userspace Python", "",
          "The seed said: *in-kernel KernelHTTP served ~50,000 requests/s and a "
          "version relaying each request to a userland Python server capped at "
          "~5,000, tenfold.* Measured here with the same kernel and the same "
          "client: khttpd serving the file itself (its event design, and its "
          "kthread-per-connection design, KernelHTTP's model) against khttpd with "
          "`proxy=all` relaying every request to `python3 -m http.server` over a "
          "new kernel TCP connection. The seed's absolute rates came from "
          "hardware; these come from emulation (see the setup), so only the "
          "ratio carries over. The last column puts nginx behind the same relay: "
          "how much of the gap is Python's and how much the relay's.", ""]
    if not any(p["server"] == RELAY_PY for p in points):
        why = absent.get(RELAY_PY, "not in this run's plan")
        return md + [f"Not measured in this run: {why}.", ""]
    rows, shapes = claim_rows(points, idx)
    md += ["Requests/s (median of the rounds); ratio = khttpd's requests/s ÷ "
           "those of khttpd relaying to python3.", ""] + rows + [""]
    md += [f"- {t}" for t in claim_verdicts(idx)] + [""]
    py_ng = [r for k in CLAIM_POINTS if (r := ratio(idx, RELAY_NGINX, RELAY_PY, k))]
    if py_ng:
        md += [f"With nginx behind the same relay instead of Python, the relay "
               "served " + " and ".join(f"{r:.1f}×" for r in py_ng)
               + " the requests/s at the headline points: "
               + ("Python's server, not the relay, sets the ceiling."
                  if min(py_ng) >= 2 else
                  "the relay, not Python, sets the ceiling." if max(py_ng) < 1.3 else
                  "Python and the relay both weigh."), ""]
    md += ["Why Python is slow here, from how `python3 -m http.server` works "
           "(inferred, not profiled): every request runs the interpreted "
           "handler (parsing, a stat, a MIME guess, a `Date` header, a log line "
           "on stderr) on a new thread per connection, and the file is copied "
           "through user space in 64 KiB reads and writes; its listening socket "
           "has a backlog of 5 (socketserver's `request_queue_size`), so with "
           "many connections the relay's connects queue behind it or are "
           "retried. khttpd serving the file itself pays none of that, nor the "
           "second connection per request.", ""]
    busy = [(k, busy_share(idx[(KHTTPD,) + k]), busy_share(idx[(RELAY_PY,) + k]))
            for k in CLAIM_POINTS if ratio(idx, KHTTPD, RELAY_PY, k)]
    if busy:
        md.append("How busy the guest was (both vCPUs, client included) during "
                  "these loads: " + "; ".join(
                      f"{point_name(k)}: {a:.0%} serving the file, {b:.0%} relaying "
                      "to python3" for k, a, b in busy) + ".")
        idler = [LOAD_SHORT[k[0]] for k, a, b in busy if b < 0.8 * a]
        if idler:
            md[-1] += (f" With {' and '.join(idler)} the relay to python3 left the "
                       "guest idler: it also waited, "
                       "which CPU work alone does not explain (the GIL handed "
                       "between threads, a thread started per connection, or a "
                       "stall between the relay and Python). This run does not "
                       "tell them apart; `make profile` on that load would.")
        md.append("")
    return md


def claim_verdicts(idx):
    out = []
    for k in CLAIM_POINTS:
        if failed_at(idx, RELAY_PY, k):
            out.append(f"{point_name(k)}: the relay to python3 FAILED, so there is "
                       "no ratio (see Failed points)")
            continue
        r = ratio(idx, KHTTPD, RELAY_PY, k)
        if r is None:
            out.append(f"{point_name(k)}: not measured")
            continue
        out.append(f"{point_name(k)}: khttpd's event design served {r:.1f}× the "
                   f"relay's requests/s: the tenfold target is "
                   f"{'**met**' if r >= TENFOLD else '**missed**'}")
    return out


# --- the relay's own cost: khttpd relaying to nginx against nginx direct ----

def relay_cost_section(points, idx):
    md = ["## The relay's own cost: khttpd relaying to nginx against nginx", "",
          "The same nginx, once serving the client itself and once behind "
          "khttpd's relay (`proxy=all`): the difference is what the relay adds, "
          "a fast backend's figures being the best the relay can reach. "
          "*Added CPU/req* is the relay's guest CPU per request less nginx's "
          "(client included in both, so the difference is the relay's).", ""]
    shapes = sorted({shape(p) for p in points if p["server"] == RELAY_NGINX},
                    key=lambda k: (LOADS.index(k[0]) if k[0] in LOADS else 9,) + k[1:])
    shapes = [k for k in shapes if ("nginx",) + k in idx]
    if not shapes:
        return md + ["Not measured in this run.", ""]
    # the table: the 4 KiB points and the headline ones; the sentence: all
    shown = [k for k in shapes if k[1] == 4096 or k in HEADLINE]
    if len(shown) < len(shapes):
        md += [f"The 4 KiB points and the headline points ({len(shown)} of the "
               f"{len(shapes)} both measured; the sentence below covers all "
               "of them, the tables per load the rest):", ""]
    md += ["| load, file × connections | nginx | khttpd relaying to nginx | "
           "relay ÷ nginx | CPU/req nginx | CPU/req relay | added CPU/req | "
           "nginx, connection per request |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    rs, added = [], []
    for k in shapes:
        pn, pr = idx[("nginx",) + k], idx.get((RELAY_NGINX,) + k)
        cn = cpu_us(pn) if ok(pn) else None
        cr = cpu_us(pr) if pr is not None and ok(pr) else None
        r = ratio(idx, RELAY_NGINX, "nginx", k)
        if r:
            rs.append(r)
        if cn is not None and cr is not None:
            added.append(cr - cn)
        if k not in shown:
            continue
        # the relay opens a backend connection per request: what nginx does
        # with a connection per request bounds it
        pc = idx.get(("nginx", "close") + k[1:])
        md.append(f"| {point_name(k)} | {cell(pn, latency=False)} | "
                  f"{cell(pr, latency=False)} | {fmt_ratio(r)} | "
                  f"{f'{cn:.0f} µs' if cn is not None else '–'} | "
                  f"{f'{cr:.0f} µs' if cr is not None else '–'} | "
                  f"{f'{cr - cn:+.0f} µs' if cn is not None and cr is not None else '–'} | "
                  f"{cell(pc, latency=False) if pc is not None and k[0] != 'close' else '–'} |")
    md.append("")
    if rs:
        med = sorted(rs)[(len(rs) - 1) // 2]
        s = (f"Behind the relay nginx kept {min(rs):.2f}× to {max(rs):.2f}× of its "
             f"own requests/s (median {med:.2f}×) at the {len(rs)} points where both "
             "served without error")
        if added:
            a = sorted(added)[(len(added) - 1) // 2]
            s += f", and each request cost a median {a:.0f} µs more guest CPU"
        md += [s + ". The last column is nginx serving a new connection per request "
               "at the same size and connections: the relay opens a new backend "
               "connection for every request, so it cannot beat that figure, "
               "whatever the client's keep-alive.", ""]
    return md


# --- the targets ------------------------------------------------------------

def targets(points, idx):
    """(target, measured, rounds, met) rows."""
    rows = []

    def ratio_row(what, a, b, k, need):
        n = rounds_of(points, k)
        if failed_at(idx, a, k) or failed_at(idx, b, k):
            who = LABEL.get(a if failed_at(idx, a, k) else b)
            rows.append((what, f"{who} FAILED", n, "**no**" if
                         failed_at(idx, a, k) else "–"))
            return
        r = ratio(idx, a, b, k)
        if r is None:
            rows.append((what, "not measured", n, "–"))
        else:
            rows.append((what, f"{r:.2f}×", n, "yes" if r >= need else "**no**"))

    for k in CLAIM_POINTS:
        ratio_row(f"khttpd ≥ {TENFOLD:.0f}× the relay to python3, {point_name(k)}",
                  KHTTPD, RELAY_PY, k, TENFOLD)
    for c in (10, 100):
        ratio_row(f"khttpd ≥ 1.5× nginx, keep-alive, 4 KiB × {c} connections",
                  KHTTPD, "nginx", ("keepalive", 4096, c), 1.5)
    for c in (10, 100):
        k = ("close", 4096, c)
        if c == 10 or ("nginx",) + k in idx:
            ratio_row(f"khttpd ≥ 1.2× nginx, connection per request, 4 KiB × {c} "
                      "connections", KHTTPD, "nginx", k, 1.2)
    ratio_row("1 MiB: khttpd no worse than nginx (≥ 1.00×), keep-alive, 1 MiB × 10 "
              "connections", KHTTPD, "nginx", ("keepalive", 1 << 20, 10), 1.0)
    mem = [p for p in points if p["server"] == KHTTPD and "mem_max_bytes" in p
           and p["mem_max_bytes"] >= 0]
    what = (f"1 MiB: khttpd's memory bounded: the most any connection held "
            f"(max mem_bytes ÷ connections) under {MEM_BOUND >> 10} KiB")
    if mem:
        worst = max(mem, key=lambda p: p["mem_max_bytes"] / p["conns"])
        b = worst["mem_max_bytes"] / worst["conns"]
        rows.append((what, f"{b:.0f} B at {point_name(shape(worst))}, "
                     f"{max(p['mem_max_bytes'] for p in mem) / 1024:.1f} KiB in all",
                     f"{len(mem)} loads", "yes" if b < MEM_BOUND else "**no**"))
    else:
        rows.append((what, "not measured", 0, "–"))
    return rows


def targets_table(points, idx):
    return ["| target | measured | rounds | met |", "|---|---:|---:|:---:|"] + [
        f"| {t} | {m} | {n} | {y} |" for t, m, n, y in targets(points, idx)]


def losses(idx, servers, points):
    """Where khttpd's event design is slower than nginx or lighttpd."""
    out = []
    shapes = sorted({shape(p) for p in points},
                    key=lambda k: (LOADS.index(k[0]) if k[0] in LOADS else 9,) + k[1:])
    for k in shapes:
        for b in BASES:
            pk, pb = idx.get((KHTTPD,) + k), idx.get((b,) + k)
            if pk is not None and not ok(pk) and pb is not None and ok(pb):
                out.append((k, b, 0.0, None, None, pk, pb))
                continue
            r = ratio(idx, KHTTPD, b, k)
            if r is not None and r < 0.95:
                pk, pb = idx[(KHTTPD,) + k], idx[(b,) + k]
                ck, cb = cpu_us(pk), cpu_us(pb)
                out.append((k, b, r, ck, cb, pk, pb))
    return out


LOAD_WHY = {
    "keepalive": (
        "With keep-alive a userspace server pays a few system calls per "
        "request (a read, a sendfile or writev, an epoll wait shared by many "
        "connections); khttpd saves those, which counts most for small files. "
        "For large files the work is TCP and the page sends, the same kernel "
        "code for every server, so the saving shrinks and noise decides."),
    "pipeline": (
        "Likely, from the design: khttpd answers pipelined requests strictly "
        "one at a time and starts the next only when the previous response has "
        "left its queue (kernel/http/conn.c), so 16 pipelined requests cost 16 "
        "sends and, for small files, 16 segments, where a userspace server that "
        "reads the 16 requests at once can answer them with fewer writes. The "
        "higher CPU per request fits this; `make profile` would confirm it."),
    "close": (
        "A connection per request is mostly TCP set-up and teardown, the same "
        "kernel code for every server. khttpd adds hand-offs to it: the "
        "listener's callback queues an accept work item, which queues each new "
        "connection's own work, where an nginx worker accepts from its own "
        "queue (`reuseport`) in the loop that then serves the request. "
        "Profiled (`make profile ARGS='servers=khttpd-event-percpu,nginx "
        "load=close'`): with `wq=percpu` all of that ran behind the client on "
        "the one CPU that took its events, and the guest idled 41–45 % against "
        "nginx's 17–26 %; `wq=spread`, khttpd's default, runs it on the other "
        "CPUs (`results/http-wq.md`). Where khttpd used no more CPU but the "
        "guest was idler, it waited on those hand-offs rather than computing."),
}


def busy_share(p):
    return p.get("cpu_busy_jiffies", 0) / max(p.get("cpu_total_jiffies", 1), 1)


def where_khttpd_loses(idx, servers, points):
    """Points where khttpd's event design is under 0.95x nginx or lighttpd,
    grouped by load: the ratios, what CPU per request and guest idleness
    say, and the likely cause once per load."""
    lost = losses(idx, servers, points)
    if not lost:
        return ["khttpd's event design served at least 0.95× the requests/s of "
                "nginx and lighttpd at every point measured in this run.", ""]
    md = ["Every point where khttpd's event design served under 0.95× the "
          "requests/s of nginx or lighttpd. *CPU/req* (guest-wide, client "
          "included) and how busy the guest was are measured; the causes given "
          "are inferred from the design and say so.", ""]
    for load in LOADS:
        items = [x for x in lost if x[0][0] == load]
        if not items:
            continue
        md += [f"**{LOAD_TITLE[load]}**", ""]
        more_cpu = waited = 0
        stalls = []
        for k, b, r, ck, cb, pk, pb in items:
            where = (f"- {size_name(k[1])} × {k[2]} connection"
                     f"{'s' if k[2] > 1 else ''}: ")
            if not ok(pk):
                others = [LABEL.get(s, s) for s in servers
                          if s != KHTTPD and (s,) + k in idx
                          and (not ok(idx[(s,) + k]) or idx[(s,) + k]["rps"] < 10)]
                note = (f" Other servers failed or nearly so at the same point "
                        f"({', '.join(others)}): the load itself breaks down here "
                        "in this VM, not khttpd alone." if others else
                        " Only khttpd failed here: a defect to chase in khttpd.")
                md.append(where + f"khttpd {failed_text(pk)}, {b} "
                          f"{fmt_rate(pb['rps'])} requests/s.{note}")
                continue
            if ck and cb and ck > cb * 1.05:
                more_cpu += 1
                cpu = f"more CPU/req ({ck:.0f} against {cb:.0f} µs)"
            else:
                waited += 1
                cpu = (f"no more CPU/req ({ck:.0f} against {cb:.0f} µs), guest "
                       f"busy {busy_share(pk):.0%} against {busy_share(pb):.0%}")
            if r < 0.3:
                stalls.append(f"{size_name(k[1])} × {k[2]}")
            md.append(where + f"{r:.2f}× {b}; {cpu}")
        md.append("")
        n = more_cpu + waited
        if n:
            md.append(f"In {more_cpu} of these {n} comparisons khttpd spent more "
                      f"guest CPU per request than the faster server (costlier "
                      f"work); in {waited} it spent no more but left the guest "
                      "idler (it waited: wake-ups, hand-offs, the latency tail). "
                      + LOAD_WHY[load])
        if stalls:
            md.append("")
            md.append("Below 0.3× (" + ", ".join(sorted(set(stalls))) + ") is not "
                      "a cost difference but a stall: look at khttpd's p50 "
                      "latency there, and at its own kthread design on the same "
                      "point. This run does not say why; `make profile` on that "
                      "load, or /proc/net/khttpd during it, would.")
        md.append("")
    md.append("The round-to-round spread on this shared machine reaches 2× at "
              "some points (see Repeated points), so single-round ratios between "
              "0.5× and 2× are weak evidence either way.")
    md.append("")
    return md


def where_relays_lose(idx, servers, points):
    """The relays against the servers they stand for: the relay to nginx
    against nginx direct, and the relay to python3's failures."""
    md = []
    shapes = sorted({shape(p) for p in points},
                    key=lambda k: (LOADS.index(k[0]) if k[0] in LOADS else 9,) + k[1:])
    if RELAY_NGINX in servers:
        rs = [(k, r) for k in shapes if (r := ratio(idx, RELAY_NGINX, "nginx", k))]
        lost = [(k, r) for k, r in rs if r < 0.95]
        more = [k for k, r in lost
                if (ck := cpu_us(idx[(RELAY_NGINX,) + k])) is not None
                and (cn := cpu_us(idx[("nginx",) + k])) is not None and ck > cn * 1.05]
        if rs:
            md += [f"**khttpd relaying to nginx** served under 0.95× nginx's own "
                   f"requests/s at {len(lost)} of the {len(rs)} points both "
                   "measured"
                   + (f" ({min(r for k, r in lost):.2f}× to "
                      f"{max(r for k, r in lost):.2f}×), spending more guest CPU "
                      f"per request at {len(more)} of them" if lost else "")
                   + ". Most of this loss is the relay's design: per request "
                   "khttpd reads and parses the client's request, opens a new "
                   "loopback TCP connection to nginx (a handshake, nginx's accept, "
                   "a teardown), writes the request to it, and copies nginx's "
                   "response from that socket into the client's; nginx does all of "
                   "its own work as well. So every relayed request costs nginx's "
                   "work plus a connection per request plus a copy, and the "
                   "client's keep-alive cannot save the backend connection "
                   "(inferred from the design; see The relay's own cost for the "
                   "CPU per request)."]
            # nginx's own connection-per-request rate is what the extra
            # connection alone would leave; below it, something else costs
            below = [k for k, r in rs if k[0] != "close"
                     and (c := rps(idx, "nginx", ("close",) + k[1:]))
                     and rps(idx, RELAY_NGINX, k) < c]
            if below:
                md[-1] += (" At " + ", ".join(point_name(k) for k in below)
                           + " the relay served fewer requests/s than nginx alone "
                           "with a connection per request, so the extra connection "
                           "does not explain all of it: the copy through khttpd, "
                           "or a wait inside the relay, costs the rest. This run "
                           "does not say which; `make profile` on that load would.")
            md.append("")
    if RELAY_PY in servers:
        bad = [p for p in points if p["server"] == RELAY_PY and not ok(p)]
        if bad:
            md += ["**khttpd relaying to python3** FAILED at: " + ", ".join(
                f"{point_name(shape(p))} (round {p.get('round', 1)}: {failed_text(p)})"
                for p in bad) + "."]
            fine = sorted({point_name(shape(p)) for p in bad
                           if (q := idx.get((RELAY_NGINX,) + shape(p))) is not None
                           and ok(q)})
            if fine:
                md[-1] += (" The same relay to nginx passed at " + ", ".join(fine)
                           + ": there the failures are Python's server giving out "
                           "(its backlog of 5, a thread per connection), not the "
                           "relay's.")
            md.append("")
    return md


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    log, out_dir = sys.argv[1], sys.argv[2]
    demo = "--demo" in sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    info, points, limits, configs = parse(log)
    if not points:
        print("report_http: no HTTP results in " + log, file=sys.stderr)
        return 1
    servers = servers_of(points)
    idx = index(points)
    failed = [p for p in points if not ok(p)]
    skip = skipped(limits)
    absent = unavailable(limits)
    # a server that exists but would not start is a failure, not a limit
    broken = [s for s, why_not in absent.items() if why_not == "did not start"]
    write_csv(points, os.path.join(out_dir, "http.csv"))

    md = ["# khttpd HTTP benchmark: requests/s of khttpd, its relay to userspace "
          "servers, nginx and lighttpd", ""]
    md += setup_lines(info) + [""]
    heads = [k for k in HEADLINE if any(shape(p) == k for p in points)]
    if demo:
        md += ["## " + demo_title(info, points), ""]
        md += demo_table(idx, servers, absent) + ["", demo_sentence(idx, absent), ""]
    else:
        md += ["## Targets", "",
               "Each target against the median of its rounds (*rounds*: how "
               "many; a single round on this shared machine is weak evidence, "
               "see Repeated points).", ""]
        md += targets_table(points, idx) + [""]
        md += ["## Headline: requests/s at the repeated points, and ratios to "
               "nginx and lighttpd", "",
               "Ratio = the server's requests/s ÷ nginx's (or lighttpd's): 1.00× is "
               "as fast, above 1 faster. Median of the rounds; the spread is the "
               "fastest round over the slowest.", ""]
        for k in heads:
            md += [f"**{point_title(k, rounds_of(points, k))}**", ""]
            md += headline_table(points, idx, servers, k, BASES, absent) + [""]
            md += [point_sentence(idx, k), ""]
        md += claim_section(points, idx, absent)
        claim = [s for s in (KHTTPD, KTHREAD, RELAY_PY, RELAY_NGINX, "nginx")
                 if s in servers]
        if RELAY_PY in servers:
            png = plot_panels(idx, claim, out_dir, "http-claim", [
                ("keep-alive, 4 KiB file", "keepalive", 4096),
                ("connection per request, 4 KiB file", "close", 4096)],
                "rps", "khttpd against its relay to python3")
            if png:
                md += [f"![{png}]({png})", ""]
        if RELAY_NGINX in servers:
            md += relay_cost_section(points, idx)

        sizes = sorted({p["size"] for p in points})
        for load in [l for l in LOADS if any(p["load"] == l for p in points)]:
            md += [f"## {LOAD_TITLE[load]}", ""]
            for size in sizes:
                conns = sorted({p["conns"] for p in points
                                if p["load"] == load and p["size"] == size}
                               | {k[3] for k in skip if k[1:3] == (load, size)})
                if not conns:
                    continue
                md += [f"### {LOAD_SHORT[load]}, {size_name(size)} file: "
                       "requests/s (p50 / p99 latency); µs of guest CPU per request", ""]
                md += table(idx, servers, load, size, conns, skip) + [""]
                for b in BASES:
                    if b in servers:
                        md += [f"Requests/s relative to {b} (1.00× = as fast as {b}):", ""]
                        md += ratio_table(idx, servers, load, size, conns, b) + [""]
                notes = [f"- {'' if s == 'all' else LABEL.get(s, s) + ', '}"
                         f"{skip_text(c, why_not)}"
                         for (s, l, z, c), why_not in sorted(skip.items(), key=lambda kv: (
                             kv[0][3], kv[0][0] != "all", kv[0][0]))
                         if (l, z) == (load, size) and c in conns]
                if notes:
                    md += ["‡ skipped:"] + notes + [""]
            for what in ("rps", "p99"):
                png = plot(idx, servers, out_dir, load, sizes, what)
                if png:
                    md += [f"![{png}]({png})", ""]

        mem = [p for p in points if "mem_max_bytes" in p]
        if mem:
            md += ["## khttpd's memory during the 1 MiB loads", "",
                   "The highest `mem_bytes` of /proc/net/khttpd, read every 0.2 s "
                   "during the load: what khttpd's connections hold beyond their "
                   "kernel sockets (buffers, send queue entries). The file's pages "
                   "are the page cache's, shared by every response, and not counted.",
                   "", "| server | load | connections | rounds | max mem_bytes | per connection |",
                   "|---|---|---:|---:|---:|---:|"]
            g = {}
            for p in mem:
                g.setdefault((p["server"], p["load"], p["conns"]), []).append(p)
            for (s, load, c), ps in sorted(g.items(), key=lambda kv: (
                    ORDER.index(kv[0][0]) if kv[0][0] in ORDER else 9,
                    kv[0][1], kv[0][2])):
                m = max(p["mem_max_bytes"] for p in ps)
                md.append(f"| {LABEL.get(s, s)} | {LOAD_SHORT.get(load, load)} | {c} | "
                          f"{len(ps)} | {m / 1024:.1f} KiB | {m / c:.0f} B |")
            md.append("")

        md += ["## Where khttpd loses, and why", ""]
        md += where_khttpd_loses(idx, servers, points)
        kt = [(k, r) for k in sorted({shape(p) for p in points},
                                     key=lambda k: (LOADS.index(k[0]),) + k[1:])
              if (r := ratio(idx, KTHREAD, KHTTPD, k)) and r > 1.05]
        if kt:
            big = [(k, r) for k, r in kt if r >= 2]
            md += ["khttpd's own thread-per-connection design was faster than "
                   "its event design at: " + ", ".join(
                       f"{LOAD_SHORT[k[0]]} {size_name(k[1])} × {k[2]} ({r:.2f}×)"
                       for k, r in kt) + ". Gaps under about 1.3× are within this "
                   "machine's round-to-round spread (see Repeated points)."]
            if big:
                md[-1] += (" Gaps of 2× and more are not noise: there the event "
                           "design stalled (compare the p50 latencies in the tables "
                           "above), at " + ", ".join(
                               f"{LOAD_SHORT[k[0]]} {size_name(k[1])} × {k[2]}"
                               for k, r in big) + ". This run does not say why; "
                           "`make profile` on the same load, or khttpd's counters "
                           "during it, would.")
            md.append("")
        failed_k = [p for p in points if p["server"] == KHTTPD and not ok(p)]
        if failed_k:
            md += ["khttpd's event design FAILED at: " + ", ".join(
                f"{LOAD_SHORT[p['load']]} {size_name(p['size'])} × {p['conns']} "
                f"(round {p.get('round', 1)}: {failed_text(p)})" for p in failed_k)
                + ".", ""]
        md += where_relays_lose(idx, servers, points)

        rep = repeats(points, servers)
        if rep:
            md += ["## Repeated points", ""] + rep
        if skip or absent:
            md += ["## Not run", ""]
            for s, why_not in absent.items():
                md.append(f"- {LABEL.get(s, s)} (`{s}`): {why_not}")
            for (s, load, size, c), why_not in sorted(skip.items(), key=lambda kv: (
                    LOADS.index(kv[0][1]), kv[0][2], kv[0][3], kv[0][0] != "all",
                    kv[0][0])):
                md.append(f"- {LOAD_SHORT[load]}, {size_name(size)}, {c} "
                          f"connection{'s' if c > 1 else ''}, "
                          f"{'every server' if s == 'all' else LABEL.get(s, s)}: "
                          f"{skip_text(None, why_not)}")
            md.append("")
    if failed or broken:
        md += ["## Failed points", ""]
        for s in broken:
            md.append(f"- {LABEL.get(s, s)}: did not start in some round "
                      "(the VM's output has its log)")
        for p in failed:
            md.append(f"- {LABEL.get(p['server'], p['server'])}, round "
                      f"{p.get('round', 1)}: {LOAD_SHORT.get(p['load'], p['load'])}, "
                      f"{size_name(p['size'])}, {p['conns']} connections: "
                      f"{failed_text(p)}")
        md.append("")
    if configs and not demo:
        md += ["## Server configurations and command lines, as run", ""]
        for name, lines in configs.items():
            md += [f"`bench/http/{name}`"
                   + (" (`@WORKERS@` = vCPUs)" if "@WORKERS@" in "\n".join(lines) else "")
                   + ":", "", "```", *lines, "```", ""]
        starts = [(k.partition(":")[2], v) for k, v in info.items()
                  if k.startswith("start:")]
        if starts:
            md += ["How each server was started (khttpd's other parameters at "
                   "their defaults):", ""]
            md += [f"- {LABEL.get(s, s)}: `{v}`" for s, v in starts
                   if s in servers or s in absent]
            md.append("")
        else:
            md += ["khttpd: `insmod khttpd.ko docroot=/srv/www port=8080` (event "
                   "design), and the same with `design=kthread`; every other "
                   "parameter at its default.", ""]
    with open(os.path.join(out_dir, "http-report.md"), "w") as f:
        f.write("\n".join(md) + "\n")

    # the terminal gets the headline tables, each titled and with its sentence
    if demo:
        print()
        print(demo_title(info, points))
        print("\n".join(demo_table(idx, servers, absent)))
        print()
        print(demo_sentence(idx, absent))
    else:
        for k in heads:
            print()
            print(point_title(k, rounds_of(points, k)))
            print("\n".join(headline_table(points, idx, servers, k, BASES, absent)))
            print(point_sentence(idx, k))
        print()
        print("Targets (medians of the rounds):")
        print("\n".join(targets_table(points, idx)))
    if failed or broken:
        print(f"\n{len(failed)} failed HTTP points"
              + (f"; did not start: {', '.join(broken)}" if broken else "")
              + ": see the report")
    print(f"\nreport: {os.path.join(out_dir, 'http-report.md')}")
    return 1 if failed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
