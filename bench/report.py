#!/usr/bin/env python3
"""Markdown report from bench/measure.py's JSON lines: medians over rounds, gateway vs nginx."""
import argparse
import json
import statistics
from collections import defaultdict

TARGETS = ["direct", "nginx", "gateway"]
NAMES = {
    "qido": "QIDO studies query",
    "metadata": "Series metadata (gzip)",
    "metadata-hot": "Series metadata, timed (gzip)",
    "frames": "Frames (WADO-RS, 1 per instance)",
    "series": "Whole series (WADO-RS)",
    "static": "Static app.bundle.js (gzip asked)",
}
THROUGHPUT_TARGET = 0.9
LATENCY_TARGET_MS = 1.0


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=1):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def read_runs(path):
    """bench/measure.py's lines by (workload, conns, target), each with its throughput, latency
    and CPU milliseconds per request (the *_cpu_s and cpu_s groups and the whole machine divided
    by the requests)."""
    runs = defaultdict(list)
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            # Static throughput counts bytes: at gzip level 9 a 64-connection window may end
            # with few whole responses but many partial ones.
            r["throughput"] = r["rps_bytes"] if r["workload"] == "static" else r["rps"]
            r["latency"] = r["ttfb_p50_ms"] if r["workload"] == "series" else r["p50_ms"]
            r["latency99"] = r["ttfb_p99_ms"] if r["workload"] == "series" else r["p99_ms"]
            busy = r["throughput"] * r["wall_s"] if r["throughput"] else 0
            r["proxy_ms"] = r["proxy_cpu_s"] * 1000 / busy if busy else None
            r["orthanc_ms"] = r["orthanc_cpu_s"] * 1000 / busy if busy else None
            if "proxy_compiler_cpu_s" in r:
                r["proxy_compiler_ms"] = r["proxy_compiler_cpu_s"] * 1000 / busy if busy else None
            for kind, seconds in r.get("cpu_s", {}).items():
                r[f"{kind}_ms"] = seconds * 1000 / busy if busy else None
            if "machine_busy_s" in r:
                r["machine_ms"] = r["machine_busy_s"] * 1000 / busy if busy else None
                # Cores kept busy by everything on the machine (the load generator and other work too).
                r["cores_busy"] = r["machine_busy_s"] / r["wall_s"] if r["wall_s"] else None
            runs[(r["workload"], int(r["conns"]), r["target"])].append(r)
    return runs


def workload_keys(runs):
    """(workload, conns) in the order of NAMES, then by connections."""
    return sorted({(w, c) for (w, c, _) in runs}, key=lambda k: (list(NAMES).index(k[0]), k[1]))


def rounds_of(runs):
    return max((int(r["round"]) for rs in runs.values() for r in rs), default=0)


def failures_note(runs):
    failures = [r for rs in runs.values() for r in rs if r["failed"] or r["non2xx"]]
    if not failures:
        return "Every request of every run was answered 2xx."
    return "Failed or non-2xx requests: " + "; ".join(
        f"round {r['round']} {r['workload']} c={r['conns']} {r['target']}: {r['failed']} failed, "
        f"{r['non2xx']} non-2xx" for r in failures)


def open_report():
    """The measurements named on the command line, a function giving the median of one key over
    the rounds, and the report's first lines (the --header file)."""
    p = argparse.ArgumentParser()
    p.add_argument("--header", help="Markdown lines describing the run")
    p.add_argument("raw")
    args = p.parse_args()
    runs = read_runs(args.raw)

    def med(workload, conns, target, key):
        return median([r.get(key) for r in runs.get((workload, conns, target), [])])

    out = []
    if args.header:
        with open(args.header) as f:
            out.append(f.read().rstrip())
        out.append("")
    return runs, med, out


def main():
    runs, med, out = open_report()
    keys = workload_keys(runs)
    rounds = rounds_of(runs)

    misses = []
    out.append(f"### Throughput (median of {rounds} rounds)")
    out.append("")
    out.append("| Workload | Conns | Unit | Orthanc direct | nginx | gateway | gateway ÷ nginx | per round | ≥ 0.9 × nginx |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|:---:|")
    for w, c in keys:
        if c == 1:
            continue
        if w == "series":
            unit, key = "MB/s", "mbps"
        else:
            unit, key = "req/s", "throughput"
        cells = []
        for t in TARGETS:
            v = med(w, c, t, key)
            cell = fmt(v)
            if w in ("frames", "static") and v is not None:
                cell += f" ({fmt(med(w, c, t, 'mbps'), 0)} MB/s)"
            cells.append(cell)
        g, n = med(w, c, "gateway", key), med(w, c, "nginx", key)
        ratio = g / n if g is not None and n else None
        # The two are measured back to back in each round, so their ratio within a round shows
        # how steady the difference is under the machine's noise.
        by_round = defaultdict(dict)
        for t in ("nginx", "gateway"):
            for r in runs.get((w, c, t), []):
                by_round[r["round"]][t] = r[key]
        per_round = " / ".join(fmt(v["gateway"] / v["nginx"], 2) for _, v in sorted(by_round.items())
                               if v.get("nginx") and v.get("gateway") is not None)
        ok = ratio is not None and ratio >= THROUGHPUT_TARGET
        verdict = "yes" if ok else "no" if ratio is not None else "n/a"
        if w == "static" and ratio is not None:
            sizes = {t: med(w, c, t, "body_bytes") for t in ("nginx", "gateway")}
            # A tenth more bytes than nginx would mean the gateway compresses worse (or not at all).
            if sizes["nginx"] and sizes["gateway"] and sizes["gateway"] > 1.1 * sizes["nginx"]:
                factor = sizes["gateway"] / sizes["nginx"]
                verdict += f", but {factor:.1f}× the bytes"
                misses.append(f"{NAMES[w]}, {c} connections: more responses per second only because "
                              f"the gateway compresses less: it sends {factor:.1f}× the bytes nginx sends")
        if ratio is not None and not ok:
            misses.append(f"{NAMES[w]}, {c} connections: gateway throughput {ratio:.2f} × nginx")
        out.append(f"| {NAMES[w]} | {c} | {unit} | " + " | ".join(cells)
                   + f" | {fmt(ratio, 2)} | {per_round} | {verdict} |")
    out.append("")
    out.append("Frames and static rows also show MB/s. Static req/s = bytes received per second ÷ the size "
               "of one response body as that server sends it.")
    out.append("")

    out.append(f"### Latency (median of {rounds} rounds of each run's percentile; whole series: time to first byte)")
    out.append("")
    out.append("| Workload | Conns | p50 direct | p50 nginx | p50 gateway | p99 direct | p99 nginx | p99 gateway "
               "| added p50 nginx | added p50 gateway | gateway − nginx | within 1 ms |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for w, c in keys:
        p50 = {t: med(w, c, t, "latency") for t in TARGETS}
        p99 = {t: med(w, c, t, "latency99") for t in TARGETS}
        if p50["direct"] is not None and p50["nginx"] is not None and p50["gateway"] is not None:
            added_n = p50["nginx"] - p50["direct"]
            added_g = p50["gateway"] - p50["direct"]
            diff = added_g - added_n
            ok = diff <= LATENCY_TARGET_MS
            if not ok:
                misses.append(f"{NAMES[w]}, {c} connection{'s' if c > 1 else ''}: gateway adds "
                              f"{added_g:.1f} ms to the p50, nginx {added_n:.1f} ms ({diff:+.1f} ms)")
            verdict = "yes" if ok else "no"
        else:
            added_n = added_g = diff = None
            verdict = "n/a"
        out.append(f"| {NAMES[w]}{' (unloaded)' if c == 1 else ''} | {c} | "
                   + " | ".join(fmt(p50[t]) for t in TARGETS) + " | "
                   + " | ".join(fmt(p99[t]) for t in TARGETS)
                   + f" | {fmt(added_n)} | {fmt(added_g)} | {fmt(diff)} | {verdict} |")
    out.append("")
    out.append("Milliseconds. Added p50 = the server's p50 − Orthanc direct's p50 for the same workload.")
    out.append("")

    out.append("### CPU time per request (diagnostic, median of rounds)")
    out.append("")
    out.append("| Workload | Conns | nginx ms/req | gateway ms/req | of which the JIT compiler | gateway ÷ nginx | "
               "Orthanc ms/req (direct / via nginx / via gateway) |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    for w, c in keys:
        nginx_ms, gateway_ms = med(w, c, 'nginx', 'proxy_ms'), med(w, c, 'gateway', 'proxy_ms')
        out.append(f"| {NAMES[w]} | {c} | {fmt(nginx_ms, 2)} | {fmt(gateway_ms, 2)} | "
                   f"{fmt(med(w, c, 'gateway', 'proxy_compiler_ms'), 2)} | "
                   f"{fmt(gateway_ms / nginx_ms if gateway_ms and nginx_ms else None, 2)} | "
                   + " / ".join(fmt(med(w, c, t, "orthanc_ms"), 2) for t in TARGETS) + " |")
    out.append("")
    out.append("User + system CPU of the proxy's processes (nginx master and workers; the Payara Micro JVM "
               "with its JIT and GC) and of Orthanc, from /proc, over each run including its warm-up, "
               "divided by the requests of that run. On 2 cores every proxy millisecond is taken from "
               "Orthanc and the load generator. Of which the JIT compiler: the part of the gateway's "
               "CPU spent by the JVM's compiler threads (C1, C2), code compiled (or compiled again "
               "after a deoptimisation) during the run, which a server that has run for a while no "
               "longer pays.")
    out.append("")

    out.append(failures_note(runs))
    out.append("")
    if misses:
        out.append("Targets missed by the gateway:")
        out.append("")
        out.extend(f"- {m}" for m in misses)
    else:
        out.append("The gateway met both targets on every workload.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
