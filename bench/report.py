#!/usr/bin/env python3
"""Turn the VM's benchmark output into a report a person can read.

    bench/report.py RESULTS_LOG OUT_DIR [--demo]

RESULTS_LOG holds the lines bench/vm/run.sh printed (BENCH, IDLEMEM, RMMOD,
LIMIT, INFO).  OUT_DIR receives report.md, the data as CSV, and PNG plots made
with gnuplot.  The comparison table is also printed.  With --demo only the
one-point table is made (10 connections x 64 B ping-pong).

Exit status: 0, or 1 if a point failed (an error, a lost byte, no result).
"""
import csv
import json
import os
import subprocess
import sys

ORDER = ["kecho-event", "kecho-event-percpu", "kecho-event-unbound",
         "kecho-event-highpri", "kecho-zerocopy", "kecho-blocking", "kecho-kthread",
         "epoll", "uring", "sockmap"]
LABEL = {
    "kecho-event": "kecho event (CMWQ, per-CPU)",
    "kecho-event-percpu": "kecho event, per-CPU wq",
    "kecho-event-unbound": "kecho event, unbound wq",
    "kecho-event-highpri": "kecho event, high-priority wq",
    "kecho-zerocopy": "kecho event, zerocopy=1 (pages by reference)",
    "kecho-blocking": "kecho blocking work (old kecho)",
    "kecho-kthread": "kecho kthread per connection",
    "epoll": "userspace epoll",
    "uring": "userspace io_uring",
    "sockmap": "sockmap redirect (BPF, the floor)",
}
EVENT = ["kecho-event", "kecho-event-percpu"]


def raw_lines(path):
    """The raw log's tagged lines as (kind, rest); INFO as (key, value)
    into info.  Shared with report_http.py."""
    info = {}
    lines = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            kind, _, rest = line.partition(" ")
            if kind == "INFO":
                k, _, v = rest.partition(" ")
                info[k] = v
            else:
                lines.append((kind, rest))
    return info, lines


def json_of(rest):
    try:
        return json.loads(rest)
    except json.JSONDecodeError:
        print(f"# report: cannot parse: {rest[:120]}", file=sys.stderr)
        return None


def parse(path):
    info, lines = raw_lines(path)
    found = {"BENCH": [], "IDLEMEM": [], "RMMOD": [], "LIMIT": []}
    for kind, rest in lines:
        if kind in found:
            v = json_of(rest)
            if v is not None:
                found[kind].append(v)
    return (info, found["BENCH"], found["IDLEMEM"], found["RMMOD"],
            found["LIMIT"])


def servers_of(points):
    seen = {p["server"] for p in points}
    return [s for s in ORDER if s in seen] + sorted(seen - set(ORDER))


def ok(point):
    r = point["result"]
    return point["exit"] == 0 and not r.get("failed") and r.get("errors", 0) == 0


THREAD = "/thread"   # the mode suffix of thread-per-connection client points


def key(point):
    """(conns, length, mode); a thread-per-connection client's point has
    mode "pingpong/thread", so it never mixes with the epoll client's."""
    r = point["result"]
    mode = r["mode"] + (THREAD if r.get("client") == "thread" else "")
    return (r["conns"], r["length"], mode)


def fmt_rate(v):
    if v >= 1e6:
        return f"{v / 1e6:.2f} M"
    if v >= 1e3:
        return f"{v / 1e3:.1f} k"
    return f"{v:.0f}"


def fmt_us(v):
    return f"{v / 1000:.1f} ms" if v >= 10000 else f"{v:.0f} µs"


def cell(point):
    if point is None:
        return "–"
    r = point["result"]
    if not ok(point) or "msgs_per_sec" not in r:
        return "**failed**"
    return (f"{fmt_rate(r['msgs_per_sec'])} "
            f"({fmt_us(r['p50_us'])} / {fmt_us(r['p99_us'])})")


def groups(points):
    g = {}
    for p in points:
        g.setdefault((p["server"],) + key(p), []).append(p)
    return g


def median_key(k):
    """What a shape's median is taken by: messages/s for a closed loop;
    CPU per message for an open loop, whose messages/s is the offered rate."""
    if k[3] == "rate":
        return lambda p: p["result"].get("cpu_us_per_msg", -1)
    return lambda p: p["result"]["msgs_per_sec"]


def index(points):
    """One point per server and shape: the median of its rounds, or a
    failed round if there is one, so failures show."""
    idx = {}
    for k, ps in groups(points).items():
        bad = [p for p in ps if not ok(p) or "msgs_per_sec" not in p["result"]]
        if bad:
            idx[k] = bad[0]
            continue
        ps = sorted(ps, key=median_key(k))
        idx[k] = ps[(len(ps) - 1) // 2]
    return idx


def repeats(points, servers):
    """Per-round messages/s of the shapes measured more than once."""
    g = groups(points)
    shapes = sorted({k[1:] for k, ps in g.items() if len(ps) > 1})
    rows = []
    for shape in shapes:
        c, length, mode = shape
        rows += [f"**{c} conns × {length} B {mode}**: messages/s in each round; "
                 "the tables use the median", "",
                 "| server | rounds | median | spread (max / min) |",
                 "|---|---|---:|---:|"]
        for s in servers:
            ps = [p for p in g.get((s,) + shape, []) if ok(p)
                  and "msgs_per_sec" in p["result"]]
            if not ps:
                continue
            rates = [p["result"]["msgs_per_sec"] for p in
                     sorted(ps, key=lambda p: p.get("round", 1))]
            med = sorted(rates)[(len(rates) - 1) // 2]
            rows.append(f"| {LABEL.get(s, s)} | "
                        f"{', '.join(fmt_rate(r) for r in rates)} | "
                        f"{fmt_rate(med)} | {max(rates) / min(rates):.2f} |")
        rows.append("")
    return rows


def rate(idx, server, k):
    p = idx.get((server,) + k)
    if p is None or not ok(p):
        return None
    return p["result"].get("msgs_per_sec")


def event_server(servers):
    for s in EVENT:
        if s in servers:
            return s
    return None


def setup_lines(info):
    qemu = subprocess.run(["qemu-system-x86_64", "--version"],
                          capture_output=True, text=True).stdout.split("\n")[0]
    return [
        f"- Guest kernel: {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPUs, "
        f"{int(info.get('mem_kib', '0')) // 1024} MiB; command line `{info.get('cmdline', '')}`",
        f"- Emulator: {qemu}, TCG software emulation (no KVM) of "
        f"`{info.get('cpu_model', '?')}`",
        f"- Host: {os.cpu_count()} CPUs; client and server share the guest's vCPUs",
        f"- Each point: {info.get('secs', '?')} s measured after 1 s warm-up; "
        "kecho-bench verifies every echoed byte",
        "- **Emulation distorts absolute figures** (every instruction is "
        "translated; system calls and interrupts cost far more than on "
        "hardware). Compare servers as ratios within one run, not across runs.",
    ]


def table(points, servers, conns_list, length, mode, limits=()):
    idx = index(points)
    capped = {(m["server"], m["conns"], m["length"], m["mode"]) for m in limits}
    head = "| server | " + " | ".join(f"{c} conns" for c in conns_list) + " |"
    sep = "|---|" + "---:|" * len(conns_list)
    rows = [head, sep]
    for s in servers:
        cells = ["beyond its limit†" if (s, c, length, mode) in capped
                 else cell(idx.get((s, c, length, mode))) for c in conns_list]
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(cells) + " |")
    return rows


def ratio_table(points, servers, conns_list, length, mode, base="epoll"):
    idx = index(points)
    head = "| server | " + " | ".join(f"{c} conns" for c in conns_list) + " |"
    rows = [head, "|---|" + "---:|" * len(conns_list)]
    for s in servers:
        cells = []
        for c in conns_list:
            a, b = rate(idx, s, (c, length, mode)), rate(idx, base, (c, length, mode))
            cells.append(f"{a / b:.2f}×" if a and b else "–")
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(cells) + " |")
    return rows


def targets(points, servers, idle):
    idx = index(points)
    ev = event_server(servers)
    lines = ["| target | measured | met |", "|---|---:|:---:|"]

    def ratio_line(what, a_srv, b_srv, k, need):
        a, b = rate(idx, a_srv, k), rate(idx, b_srv, k)
        if a and b:
            lines.append(f"| {what} ≥ {need}× | {a / b:.2f}× | "
                         f"{'yes' if a / b >= need else '**no**'} |")
        else:
            lines.append(f"| {what} ≥ {need}× | not measured | – |")

    if ev:
        ratio_line("event vs kthread, 10 conns × 64 B ping-pong", ev,
                   "kecho-kthread", (10, 64, "pingpong"), 1.2)
        for c in (10, 100):
            ratio_line(f"event vs epoll, {c} conns × 64 B ping-pong", ev,
                       "epoll", (c, 64, "pingpong"), 1.3)
        for c in (10, 100):
            ratio_line(f"thread clients: event vs blocking, {c} conns × 64 B",
                       ev, "kecho-blocking", (c, 64, "pingpong" + THREAD), 1.2)

        def cost_line(what, other, c, need):
            a = idx.get((ev, c, 64, "rate"))
            b = idx.get((other, c, 64, "rate"))
            ua = a["result"].get("cpu_us_per_msg", -1) if a and ok(a) else -1
            ub = b["result"].get("cpu_us_per_msg", -1) if b and ok(b) else -1
            if ua > 0 and ub > 0:
                lines.append(f"| {what} ≤ {need}× | {ua / ub:.2f}× | "
                             f"{'yes' if ua / ub <= need else '**no**'} |")
            elif a or b:
                lines.append(f"| {what} ≤ {need}× | not measured | – |")

        cost_line("CPU per message, event vs the sockmap floor, 100 conns × 64 B",
                  "sockmap", 100, 1.5)
        for c in (10, 100):
            cost_line(f"CPU per message, event vs epoll, {c} conns × 64 B",
                      "epoll", c, 0.7)
            cost_line(f"CPU per message, event vs kthread, {c} conns × 64 B",
                      "kecho-kthread", c, 0.9)
        p = idx.get((ev, 10000, 64, "pingpong"))
        if p:
            # every connection's first echo is awaited before the clock
            # starts; one that never comes is a connect failure
            r = p["result"]
            served = r.get("conns", 0) - r.get("connect_failures", 0)
            good = ok(p) and served == 10000
            lines.append(f"| all 10,000 connections served | {served} served, "
                         f"{r.get('errors', '?')} errors | "
                         f"{'yes' if good else '**no**'} |")
        for m in idle:
            if m["server"] == ev and m.get("server_bytes_per_conn", -1) >= 0:
                b = m["server_bytes_per_conn"]
                lines.append(f"| memory per idle connection < 1 KiB beyond the "
                             f"kernel socket | {b:.0f} B | "
                             f"{'yes' if b < 1024 else '**no**'} |")
    return lines


DEMO_POINT = (10, 64, "pingpong")


def echo_sentence(points, servers):
    """One plain sentence: what the 10-connection ping-pong figures show,
    computed from them."""
    idx = index(points)
    k = DEMO_POINT
    ev = event_server(servers)
    if not ev:
        return "No kecho event-design figure to compare."
    if not rate(idx, ev, k):
        return "kecho's event design FAILED at this point (see Failed points)."
    parts = []
    for other, name in (("epoll", "the userspace epoll server's"),
                        ("uring", "the io_uring server's"),
                        ("kecho-blocking", "the old kecho's (blocking work)"),
                        ("kecho-kthread", "the kthread-per-connection design's")):
        a, b = rate(idx, ev, k), rate(idx, other, k)
        if a and b:
            parts.append(f"{a / b:.2f}× {name}")
    if not parts:
        return "kecho's event design has no ratio at this point (every other server failed)."
    if len(parts) > 1:
        parts[-1] = "and " + parts[-1]
    return ("At 10 connections × 64 B ping-pong, kecho's event design echoed "
            + ", ".join(parts) + " messages/s.")


def demo_title(points):
    """What the demo table measures, in words."""
    ps = [p for p in points if key(p) == DEMO_POINT]
    r = ps[0]["result"] if ps else {}
    n = max([len(v) for kk, v in groups(points).items() if kk[1:] == DEMO_POINT]
            or [0])
    return ("Echo: messages/s over 10 connections, each sending a 64 B message "
            "and waiting for its echo before sending the next (ping-pong), "
            f"{r.get('duration_s', '?')} s per server after "
            f"{r.get('warmup_s', '?')} s of warm-up"
            + (f", median of {n} rounds" if n > 1 else "")
            + "; p50 / p99 = latency of one round trip; ÷ epoll = the server's "
            "messages/s divided by the userspace epoll server's (1.00× = as "
            "fast, above 1 = faster). QEMU emulation with the client in the "
            "same guest: compare the ratios, not the rates.")


def demo_table(points, servers):
    idx = index(points)
    rows = ["| server | messages/s | p50 / p99 round trip | ÷ epoll |",
            "|---|---:|---:|---:|"]
    base = rate(idx, "epoll", DEMO_POINT)
    for s in servers:
        p = idx.get((s,) + DEMO_POINT)
        if p is None:
            continue
        r = p["result"]
        if not ok(p) or "msgs_per_sec" not in r:
            rows.append(f"| {LABEL.get(s, s)} | **failed** | – | – |")
            continue
        a = r["msgs_per_sec"]
        rows.append(f"| {LABEL.get(s, s)} | {fmt_rate(a)} | "
                    f"{fmt_us(r['p50_us'])} / {fmt_us(r['p99_us'])} | "
                    f"{f'{a / base:.2f}×' if base else '–'} |")
    return rows


def thread_tables(points, servers):
    """The thread-per-connection clients (kecho-bench --client thread)
    beside the epoll client, 64 B ping-pong: messages/s, then kecho's event
    design over the old designs under either client."""
    idx = index(points)
    conns = sorted({key(p)[0] for p in points
                    if key(p)[1:] == (64, "pingpong" + THREAD)})
    if not conns:
        return []
    shapes = [(c, cl) for c in conns for cl in ("epoll client", "thread clients")]
    mode = {"epoll client": "pingpong", "thread clients": "pingpong" + THREAD}
    head = "| | " + " | ".join(f"{c} conns, {cl}" for c, cl in shapes) + " |"
    sep = "|---|" + "---:|" * len(shapes)
    rows = ["msgs/s (p50 / p99 latency); *thread clients*: one client thread "
            "per connection, blocking send() and recv(); *epoll client*: "
            "kecho-bench's default, one epoll loop per vCPU", "", head, sep]
    for s in servers:
        if not any(idx.get((s, c, 64, mode[cl])) for c, cl in shapes):
            continue
        rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(
            cell(idx.get((s, c, 64, mode[cl]))) for c, cl in shapes) + " |")
    ev = event_server(servers)
    rows += ["", "kecho's event design relative to the old designs, under "
             "each client:", "", head, sep]
    for other in ("kecho-blocking", "kecho-kthread", "epoll", "sockmap"):
        if other not in servers or not ev:
            continue
        cells = []
        for c, cl in shapes:
            a = rate(idx, ev, (c, 64, mode[cl]))
            b = rate(idx, other, (c, 64, mode[cl]))
            cells.append(f"{a / b:.2f}×" if a and b else "–")
        rows.append(f"| event ÷ {other.replace('kecho-', '')} | "
                    + " | ".join(cells) + " |")
    return rows + [""]


def cost_tables(points, servers, info):
    """CPU per message at a fixed offered rate (plan=cost): the guest's busy
    CPU over the measured time over the messages echoed, sockmap = 1.00."""
    pts = [p for p in points if key(p)[2] == "rate"
           and p["result"].get("cpu_us_per_msg", -1) > 0]
    if not pts:
        return []
    idx = index(pts)
    shapes = sorted({key(p)[:2] for p in pts}, key=lambda k: (k[1], k[0]))
    rounds = max(len(ps) for ps in groups(pts).values())
    rows = [f"Open loop at {info.get('cost_rate', '?')} messages/s offered in "
            "all; busy CPU of the whole guest (client included) over the "
            "measured seconds, divided by the messages echoed in them, median "
            f"of {rounds} round{'s' if rounds > 1 else ''}; (×) = relative to "
            "the sockmap floor. Busy CPU is the window's CPU time (wall time × "
            "vCPUs) less the idle time in /proc/stat, which a tickless kernel "
            "measures exactly; the busy fields there are the timer tick's "
            "samples, and for this bursty load they were off by up to 3×. The "
            f"same window with no load at all was {info.get('idle_cpu_busy_s', '?')} "
            "CPU-seconds busy.", "",
            "| server | " + " | ".join(f"{c} × {l} B" for c, l in shapes) + " |",
            "|---|" + "---:|" * len(shapes)]
    for s in servers:
        cells = []
        for c, l in shapes:
            p = idx.get((s, c, l, "rate"))
            f = idx.get(("sockmap", c, l, "rate"))
            if p is None:
                cells.append("–")
            elif not ok(p):
                cells.append("**failed**")
            else:
                u = p["result"]["cpu_us_per_msg"]
                base = f["result"]["cpu_us_per_msg"] if f and ok(f) else None
                cells.append(f"{u:.0f} µs" + (f" ({u / base:.2f}×)" if base else ""))
        if any(c != "–" for c in cells):
            rows.append(f"| {LABEL.get(s, s)} | " + " | ".join(cells) + " |")
    return rows + [""]


def accounting_check(points, servers, info):
    """At saturation the guest should be all busy, so that CPU per message
    there is vCPUs ÷ messages/s: a check of the open-loop accounting."""
    idx = index(points)
    cpus = int(info.get("cpus", "2"))
    rows = ["The same accounting over the saturated ping-pong points: a "
            "closed loop keeps the guest busy, so *busy* should be near 100 % "
            "and µs per message near vCPUs ÷ messages/s. *tick* is what the "
            "timer tick's samples in /proc/stat would say instead. *open ÷ "
            "saturated*: what one message costs at the open loop's low rate "
            "over what it costs at saturation (every message then pays its "
            "own wake-ups, which a busy CPU shares among many).", "",
            "| server | point | busy | tick | µs per message | vCPUs ÷ msgs/s "
            "| open ÷ saturated |", "|---|---|---:|---:|---:|---:|---:|"]
    n = 0
    for s in servers:
        for c in (10, 100):
            p = idx.get((s, c, 64, "pingpong"))
            if not p or not ok(p):
                continue
            r = p["result"]
            if r.get("cpu_busy_s", -1) < 0 or r.get("cpu_total_s", 0) <= 0:
                continue
            o = idx.get((s, c, 64, "rate"))
            ou = o["result"].get("cpu_us_per_msg", -1) if o and ok(o) else -1
            sat = r["cpu_us_per_msg"]
            rows.append(f"| {LABEL.get(s, s)} | {c} × 64 B | "
                        f"{100 * r['cpu_busy_s'] / r['cpu_total_s']:.0f} % | "
                        f"{100 * r.get('cpu_tick_busy_s', -1) / r['cpu_total_s']:.0f} % | "
                        f"{sat:.0f} µs | {cpus * 1e6 / r['msgs_per_sec']:.0f} µs | "
                        + (f"{ou / sat:.1f}× |" if ou > 0 and sat > 0 else "– |"))
            n += 1
    return rows + [""] if n else []


def zerocopy_table(points, servers):
    """kecho copying against kecho zerocopy=1, every shape both ran: the
    throughput ratio, and for open-loop points the CPU per message."""
    copy = event_server(servers)
    if "kecho-zerocopy" not in servers or not copy:
        return []
    idx = index(points)
    shapes = sorted({key(p) for p in points if p["server"] == "kecho-zerocopy"},
                    key=lambda k: (k[2] == "rate", k[2], k[1], k[0]))
    rows = ["The same event design, copying each receive through the per-CPU "
            "buffer (the default) or echoing the received pages by reference "
            "(`zerocopy=1`). Closed-loop points: messages/s, median of the "
            "rounds, and zero-copy ÷ copy (above 1: zero-copy is faster). "
            "Open-loop points (*rate*): busy CPU of the whole guest per "
            "message, and zero-copy ÷ copy (below 1: zero-copy is cheaper).",
            "", "| point | copy | zero-copy | zero-copy ÷ copy |",
            "|---|---:|---:|---:|"]
    for k in shapes:
        a, b = idx.get((copy,) + k), idx.get(("kecho-zerocopy",) + k)
        name = f"{k[0]} conns × {k[1]} B {k[2]}"
        if not a or not b or not ok(a) or not ok(b):
            rows.append(f"| {name} | {cell(a) if a else '–'} | "
                        f"{cell(b) if b else '–'} | **failed** |")
            continue
        if k[2] == "rate":
            ua = a["result"].get("cpu_us_per_msg", -1)
            ub = b["result"].get("cpu_us_per_msg", -1)
            if ua > 0 and ub > 0:
                rows.append(f"| {name} | {ua:.0f} µs | {ub:.0f} µs | "
                            f"{ub / ua:.2f}× |")
            continue
        ra, rb = a["result"]["msgs_per_sec"], b["result"]["msgs_per_sec"]
        rows.append(f"| {name} | {fmt_rate(ra)} | {fmt_rate(rb)} | "
                    f"{rb / ra:.2f}× |")
    return rows + [""]


def gnuplot(out_dir, png, title, ylabel, logy, data, lines, col):
    """One PNG against connections: LINES data sets of DATA, column COL.
    Returns True if gnuplot made it."""
    script = f"""
set terminal pngcairo noenhanced size 900,560 font 'DejaVu Sans,10'
set output '{os.path.join(out_dir, png)}'
set title '{title} (QEMU TCG, 2 vCPUs: compare ratios)'
set xlabel 'connections'
set ylabel '{ylabel}'
set logscale x
{'set logscale y' if logy else 'set yrange [0:*]'}
set key outside right top
set grid
plot for [i=0:{lines - 1}] '{data}' index i using 1:{col} with linespoints lw 2 title columnheader(1)
"""
    r = subprocess.run(["gnuplot"], input=script, text=True,
                       capture_output=True)
    if r.returncode != 0:
        print(f"# gnuplot failed: {r.stderr.strip()[:200]}", file=sys.stderr)
    return r.returncode == 0


def cost_plot(points, servers, out_dir):
    """CPU per message against connections at the offered rate, one line
    a server, one plot per message size."""
    pts = [p for p in points if key(p)[2] == "rate" and ok(p)
           and p["result"].get("cpu_us_per_msg", -1) > 0]
    idx = index(pts)
    made = []
    for length in sorted({key(p)[1] for p in pts}):
        conns = sorted({key(p)[0] for p in pts if key(p)[1] == length})
        srvs = [s for s in servers if any((s, c, length, "rate") in idx
                                          for c in conns)]
        if len(conns) < 2 or not srvs:
            continue
        data = os.path.join(out_dir, f"cost-{length}.dat")
        with open(data, "w") as f:
            for s in srvs:
                f.write(f'"{LABEL.get(s, s)}"\n')
                for c in conns:
                    p = idx.get((s, c, length, "rate"))
                    if p:
                        f.write(f"{c} {p['result']['cpu_us_per_msg']}\n")
                f.write("\n\n")
        png = f"cost-{length}B.png"
        if gnuplot(out_dir, png, f"CPU per message, {length} B, "
                   "open loop", "busy CPU per message (µs)", False, data,
                   len(srvs), 2):
            made.append(png)
    return made


def write_csv(points, path):
    fields = ["server", "conns", "length", "mode", "client", "msgs_per_sec",
              "bytes_per_sec", "p50_us", "p90_us", "p99_us", "p999_us",
              "max_us", "errors", "ok"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for p in points:
            r = p["result"]
            w.writerow([p["server"]] + [r.get(k, "event" if k == "client" else "")
                                        for k in fields[1:-1]] + [int(ok(p))])


def plot(points, servers, out_dir, length, mode):
    """Throughput and p99 latency against connections, one line a server."""
    idx = index(points)
    conns = sorted({key(p)[0] for p in points
                    if key(p)[1] == length and key(p)[2] == mode})
    if len(conns) < 2:
        return []
    data = os.path.join(out_dir, f"plot-{length}-{mode}.dat")
    with open(data, "w") as f:
        for s in servers:
            f.write(f'"{LABEL.get(s, s)}"\n')
            for c in conns:
                p = idx.get((s, c, length, mode))
                if p and ok(p) and "msgs_per_sec" in p["result"]:
                    r = p["result"]
                    f.write(f"{c} {r['msgs_per_sec']} {r['p99_us']}\n")
            f.write("\n\n")
    made = []
    for what, col, ylabel, logy in (("throughput", 2, "messages/s", False),
                                   ("p99", 3, "p99 latency (µs)", True)):
        png = f"{what}-{length}B-{mode}.png"
        if gnuplot(out_dir, png, f"{what} vs connections, {length} B {mode}",
                   ylabel, logy, data, len(servers), col):
            made.append(png)
    return made


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    log, out_dir = sys.argv[1], sys.argv[2]
    demo = "--demo" in sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    info, points, idle, rmmod, limits = parse(log)
    if not points:
        print("report: no benchmark results in " + log, file=sys.stderr)
        return 1
    servers = servers_of(points)
    failed = [p for p in points if not ok(p)]
    write_csv(points, os.path.join(out_dir, "results.csv"))

    md = ["# kecho benchmark", ""] + setup_lines(info) + [""]
    if demo:
        md += ["## " + demo_title(points), ""]
        md += demo_table(points, servers)
        md += ["", echo_sentence(points, servers)]
        md += [""] + repeats(points, servers)
    else:
        md += ["## Targets", ""] + targets(points, servers, idle) + [""]
        shapes = sorted({(key(p)[1], key(p)[2]) for p in points
                         if not key(p)[2].endswith(THREAD)
                         and p["result"].get("cpu_us_per_msg", -1) < 0})
        for length, mode in shapes:
            conns = sorted({key(p)[0] for p in points
                            if key(p)[1:] == (length, mode)})
            md += [f"## {length} B, {mode}", "",
                   "msgs/s (p50 / p99 latency)", ""]
            md += table(points, servers, conns, length, mode, limits)
            if any(m["length"] == length and m["mode"] == mode for m in limits):
                cap = next(m.get("cap", "max_active x CPUs") for m in limits)
                md += ["", f"† not run: the blocking design serves at most "
                       f"{cap} connections at once (max_active × CPUs); the "
                       "rest wait in the workqueue until one closes, and the "
                       "client gives up on them. The kernel suite's test 4 "
                       "shows it."]
            md += ["", "Messages/s relative to the userspace epoll server:", ""]
            md += ratio_table(points, servers, conns, length, mode) + [""]
            for png in plot(points, servers, out_dir, length, mode):
                md += [f"![{png}]({png})", ""]
        zc = zerocopy_table(points, servers)
        if zc:
            md += ["## Copy against zero-copy echo", ""] + zc
        cost = cost_tables(points, servers, info)
        if cost:
            md += ["## CPU per message", ""] + cost
            for png in cost_plot(points, servers, out_dir):
                md += [f"![{png}]({png})", ""]
            md += accounting_check(points, servers, info)
        thr = thread_tables(points, servers)
        if thr:
            md += ["## Thread-per-connection clients", ""] + thr
        if idle:
            md += ["## Memory of 10,000 idle connections", "",
                   "MemAvailable and Slab deltas count both ends of each "
                   "connection (client sockets too) and the server's user "
                   "memory; *server account* is what kecho itself allocated "
                   "per connection, beyond the kernel's socket.", "",
                   "| server | MemAvailable / conn | Slab / conn | server account / conn |",
                   "|---|---:|---:|---:|"]
            for m in sorted(idle, key=lambda m: ORDER.index(m["server"])
                            if m["server"] in ORDER else 99):
                acc = m.get("server_bytes_per_conn", -1)
                md.append(f"| {LABEL.get(m['server'], m['server'])} | "
                          f"{m.get('memavail_bytes_per_conn', 0):.0f} B | "
                          f"{m.get('slab_bytes_per_conn', 0):.0f} B | "
                          f"{'–' if acc < 0 else f'{acc:.0f} B'} |")
            md.append("")
        rep = repeats(points, servers)
        if rep:
            md += ["## Repeated points", ""] + rep
        if rmmod:
            md += ["## rmmod under load (10 streaming + 1,000 idle connections)",
                   "", "| server | rmmod time | all connections ended |",
                   "|---|---:|:---:|"]
            for r in rmmod:
                md.append(f"| {LABEL.get(r['server'], r['server'])} | "
                          f"{r['seconds']:.2f} s | "
                          f"{'yes' if r['load_exit'] == 0 else '**no**'} |")
            md.append("")
    if failed:
        md += ["## Failed points", ""]
        for p in failed:
            md.append(f"- {p['server']} {key(p)}: exit {p['exit']}, "
                      f"errors {p['result'].get('errors', '?')}")
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")

    # the terminal gets the main comparison, titled with what it measures
    print(demo_title(points))
    print("\n".join(demo_table(points, servers)))
    print()
    print(echo_sentence(points, servers))
    if not demo:
        print()
        print("\n".join(targets(points, servers, idle)))
    print(f"\nreport: {os.path.join(out_dir, 'report.md')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
