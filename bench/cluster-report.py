#!/usr/bin/env python3
"""Markdown report of bench/cluster: one gateway and one Orthanc node against HAProxy, two
gateways and two Orthanc nodes, medians over rounds, with CPU time per request of each kind of
process and of the whole machine."""
from collections import defaultdict

from report import NAMES, failures_note, fmt, median, open_report, rounds_of, workload_keys

TOPOLOGIES = ["single", "cluster"]
KINDS = [("gateways", "gateways"), ("orthancs", "Orthanc"), ("haproxy", "HAProxy"), ("postgresql", "PostgreSQL")]


def main():
    runs, med, out = open_report()
    keys = workload_keys(runs)
    for rs in runs.values():
        for r in rs:
            r["cores_ours"] = sum(r["cpu_s"].values()) / r["wall_s"] if r["wall_s"] else None

    out.append(f"### Throughput and latency (median of {rounds_of(runs)} rounds)")
    out.append("")
    out.append("| Workload | Conns | Unit | single | cluster | cluster ÷ single | per round "
               "| p50 single | p50 cluster | p99 single | p99 cluster |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for w, c in keys:
        unit, key = ("MB/s", "mbps") if w == "series" else ("req/s", "throughput")
        single, cluster = med(w, c, "single", key), med(w, c, "cluster", key)
        by_round = defaultdict(dict)
        for t in TOPOLOGIES:
            for r in runs.get((w, c, t), []):
                by_round[r["round"]][t] = r[key]
        per_round = " / ".join(fmt(v["cluster"] / v["single"], 2) for _, v in sorted(by_round.items())
                               if v.get("single") and v.get("cluster") is not None)
        out.append(f"| {NAMES[w]}{' (unloaded)' if c == 1 else ''} | {c} | {unit} | {fmt(single)} | {fmt(cluster)} | "
                   f"{fmt(cluster / single if single and cluster is not None else None, 2)} | {per_round} | "
                   + " | ".join(fmt(med(w, c, t, lat)) for lat in ("latency", "latency99") for t in TOPOLOGIES) + " |")
    out.append("")
    out.append("Latency in milliseconds (whole series: time to first byte).")
    out.append("")

    out.append("### CPU time per request (median of rounds)")
    out.append("")
    out.append("| Workload | Conns | Topology | " + " | ".join(name for _, name in KINDS)
               + " | these together | whole machine | cores: these | cores: machine |")
    out.append("|---|---:|---|" + "---:|" * (len(KINDS) + 4))
    for w, c in keys:
        for t in TOPOLOGIES:
            cells = [med(w, c, t, f"{kind}_ms") for kind, _ in KINDS]
            # A run in which no request ended within the window has no time per request.
            together = median([sum(r.get(f"{kind}_ms") or 0 for kind, _ in KINDS) if r["machine_ms"] else None
                               for r in runs.get((w, c, t), [])])
            out.append(f"| {NAMES[w]} | {c} | {t} | " + " | ".join(fmt(v, 2) for v in cells)
                       + f" | {fmt(together, 2)} | {fmt(med(w, c, t, 'machine_ms'), 2)} | "
                       f"{fmt(med(w, c, t, 'cores_ours'), 2)} | {fmt(med(w, c, t, 'cores_busy'), 2)} |")
    out.append("")
    out.append("Milliseconds of user + system CPU per answered request, from /proc, over each run including its "
               "warm-up: each kind's processes with their children (PostgreSQL's backends, each gateway's JVM). "
               "Whole machine: every process, the load generator (h2load, curl) and other work on the machine "
               "included. Cores: CPU time over the run's wall time, of these processes and of the whole machine (2 cores).")
    out.append("")
    out.append(failures_note(runs))
    print("\n".join(out))


if __name__ == "__main__":
    main()
