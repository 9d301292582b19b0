#!/usr/bin/env python3
"""A side-by-side table of a few HTTP servers at a few points, from one
VM boot of bench/vm/http.sh (servers=... points=..., several rounds).

    bench/http_compare.py RESULTS_LOG OUT.md TITLE BASE [OTHER]

For each point (load, size, connections) and server: the median
requests/s of the rounds, every round's figure, the median CPU per
request (whole guest, client included), and the median's ratio to the
BASE server's (and to OTHER's, if given).  A point with an error is
shown as FAILED.  Exit status 1 if any point failed.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import report_http as rh  # noqa: E402


def start(info, server):
    """How SERVER was started: its INFO line, or for khttpd-event-WQ (a
    name bench/vm/http_servers.sh gives) khttpd-event's with wq=WQ."""
    if "start:" + server in info:
        return info["start:" + server]
    base = "start:khttpd-event"
    if server.startswith("khttpd-event-") and base in info:
        return f"{info[base]} wq={server[len('khttpd-event-'):]}"
    return "?"


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.strip())
    log, out, title, base = sys.argv[1:5]
    other = sys.argv[5] if len(sys.argv) == 6 else None
    info, points, _, _ = rh.parse(log)
    if not points:
        sys.exit(f"{log}: no HTTP points")
    groups = rh.groups(points)
    servers = rh.servers_of(points)
    shapes = sorted({rh.shape(p) for p in points},
                    key=lambda k: (rh.LOADS.index(k[0]), k[1], k[2]))
    failed = 0
    med = {}
    for k, ps in groups.items():
        if all(rh.ok(p) for p in ps):
            med[k] = statistics.median(p["rps"] for p in ps)
    cols = [f"÷ {base}"] + ([f"÷ {other}"] if other else [])
    md = [f"# {title}", "",
          f"- Guest kernel {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPUs, "
          "QEMU TCG (no KVM) on a shared host: compare within this table only.",
          f"- Each point {info.get('secs', '?')} s, {info.get('rounds', '?')} rounds, "
          "the servers in a rotated order each round; clients and checks as in "
          "`results/http-report.md` (every body compared, every error counted).",
          "- requests/s: median of the rounds (each round's figure beside it); "
          "CPU/req: µs of guest CPU per request, both vCPUs, client included "
          "(wall time × vCPUs less idle time), median of the rounds.",
          "- Servers, as started: " + "; ".join(
              f"{s}: `{start(info, s)}`" for s in servers) + ".",
          ""]
    for k in shapes:
        load, size, conns = k
        md += [f"## {rh.LOAD_SHORT[load]} ({rh.CLIENT[load]}), "
               f"{rh.size_name(size)} × {conns} connections", "",
               "| server | requests/s | rounds | CPU/req | " + " | ".join(cols) + " |",
               "|---|---:|---|---:|" + "---:|" * len(cols)]
        for s in servers:
            ps = groups.get((s,) + k)
            if not ps:
                continue
            if (s,) + k not in med:
                failed += 1
                md.append(f"| {s} | **FAILED** | | |" + " |" * len(cols))
                continue
            m = med[(s,) + k]
            cpu = statistics.median(rh.cpu_us(p) or 0 for p in ps)
            ratios = []
            for b in [base] + ([other] if other else []):
                r = med.get((b,) + k)
                ratios.append(f"{m / r:.2f}×" if r else "–")
            rounds = " ".join(rh.fmt_rate(p["rps"]) for p in ps)
            md.append(f"| {s} | {rh.fmt_rate(m)} | {rounds} | {cpu:.0f} µs | "
                      + " | ".join(ratios) + " |")
        md.append("")
    with open(out, "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
