#!/usr/bin/env python3
"""Markdown section of bench/run's report for the gateway's metadata cache: the cached series
metadata and the study list query again and again, the first metadata request after an upload
became stable, and the heap once the cache is full. Medians over rounds, gateway against nginx."""
import argparse
import json
from collections import defaultdict

from report import TARGETS, fmt, median


def read(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--raw", required=True, help="bench/run's measurements (the qido rows)")
    p.add_argument("--cache-raw", required=True, help="metadata-hot and first-metadata rows")
    p.add_argument("--heap", required=True, help="'USED-BEFORE USED-AFTER TOTAL' in MB, after full GCs")
    p.add_argument("--cache-bytes-before", type=int, required=True, help="what the cache held before filling")
    p.add_argument("--fill", default="", help="what filling the cache took")
    p.add_argument("--stats", required=True, help="file with the gateway's /health/ready answer after filling")
    args = p.parse_args()

    runs = defaultdict(list)
    for r in read(args.raw) + read(args.cache_raw):
        runs[(r["workload"], int(r["conns"]), r["target"])].append(r)

    out = ["", "### Metadata cache (median of rounds)", ""]
    out.append("| Workload | Conns | Unit | Orthanc direct | nginx | gateway | gateway ÷ nginx | per round | target | met "
               "| gateway ÷ direct |")
    out.append("|---|---:|---|---:|---:|---:|---:|---|---|:---:|---:|")
    misses = []
    # The gateway's cached series metadata in a timed window (metadata-hot) against the metadata
    # workload's burst for nginx and Orthanc direct (see bench/run's cache_round).
    sources = {"metadata-hot": {"direct": "metadata", "nginx": "metadata", "gateway": "metadata-hot"},
               "qido": {t: "qido" for t in TARGETS}}
    for workload, name, target in (("metadata-hot", "Series metadata again (gzip)", 20.0),
                                   ("qido", "Study list query again", 5.0)):
        rows = {t: runs[(sources[workload][t], 16, t)] for t in TARGETS}
        rps = {t: median([r["rps"] for r in rows[t]]) for t in TARGETS}
        by_round = defaultdict(dict)
        for t in ("nginx", "gateway"):
            for r in rows[t]:
                by_round[r["round"]][t] = r["rps"]
        per_round = " / ".join(fmt(v["gateway"] / v["nginx"], 1) for _, v in sorted(by_round.items())
                               if v.get("nginx") and "gateway" in v)
        ratio = rps["gateway"] / rps["nginx"] if rps["gateway"] is not None and rps["nginx"] else None
        met = ratio is not None and ratio >= target
        if not met:
            misses.append(f"{name}: gateway {fmt(ratio, 1)} × nginx (target ≥ {target:g} ×)")
        def cell(t):
            failed = sum(max(r["failed"], r["non2xx"]) for r in rows[t])
            return fmt(rps[t]) + (f" ({failed} failed)" if failed else "")
        if any(r["failed"] + r["non2xx"] for t in TARGETS for r in rows[t]):
            misses.append(f"{name}: some requests failed, so the ratio is not a measure of the servers' speed")
        direct = rps["gateway"] / rps["direct"] if rps["gateway"] is not None and rps["direct"] else None
        out.append(f"| {name} | 16 | req/s | " + " | ".join(cell(t) for t in TARGETS)
                   + f" | {fmt(ratio, 1)} | {per_round} | ≥ {target:g} × | {'yes' if met else 'no'} | {fmt(direct, 1)} |")

    first = {t: [r for r in runs[("first-metadata", 1, t)]] for t in ("nginx", "gateway")}
    p50 = {t: median([r["total_ms"] for r in first[t]]) for t in first}
    ratio = p50["gateway"] / p50["nginx"] if p50["gateway"] is not None and p50["nginx"] else None
    met = ratio is not None and ratio <= 0.1
    if not met:
        misses.append(f"First series metadata after an upload became stable: gateway {fmt(ratio, 2)} × nginx (target ≤ 0.1 ×)")
    out.append(f"| First series metadata after an upload became stable (p50 of {len(first['gateway'])}) | 1 | ms | – | "
               f"{fmt(p50['nginx'])} | {fmt(p50['gateway'])} | {fmt(ratio, 3)} | – | ≤ 0.1 × | {'yes' if met else 'no'} | – |")
    out.append("")
    out.append("The series metadata row compares the gateway's timed window (metadata-hot) with the metadata "
               "workload's burst of one request per connection to nginx and Orthanc direct in the same round.")
    out.append("")
    in_order = [r for r in read(args.cache_raw) if r["workload"] == "first-metadata"]
    out.append("First requests, in the order measured (ms; each server its own fresh study): " + "; ".join(
        f"round {r['round']} {r['target']} {fmt(r['total_ms'])}" for r in in_order))
    failed = [r for t in first for r in first[t] if r["status"] != 200]
    if failed:
        out.append(f"Not answered 200: {len(failed)} first requests.")
    out.append("")

    out.append("| Workload | Conns | p50 ms nginx | p50 ms gateway | p99 ms nginx | p99 ms gateway "
               "| gateway CPU ms/req | Orthanc CPU ms/req via gateway | via nginx |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for workload, name in (("metadata-hot", "Series metadata again"), ("qido", "Study list query again")):
        def med(t, key):
            return median([r.get(key) for r in runs[(sources[workload][t], 16, t)]])

        # As bench/report.py: the CPU time of the whole run (warm-up included) over the requests
        # answered at the measured rate in that time.
        def per_request(t, key):
            return median([r[key] * 1000 / (r["rps"] * r["wall_s"]) for r in runs[(sources[workload][t], 16, t)] if r["rps"]])
        out.append(f"| {name} | 16 | {fmt(med('nginx', 'p50_ms'))} | {fmt(med('gateway', 'p50_ms'))} | "
                   f"{fmt(med('nginx', 'p99_ms'))} | {fmt(med('gateway', 'p99_ms'))} | "
                   f"{fmt(per_request('gateway', 'proxy_cpu_s'), 2)} | {fmt(per_request('gateway', 'orthanc_cpu_s'), 2)} | "
                   f"{fmt(per_request('nginx', 'orthanc_cpu_s'), 2)} |")
    out.append("")

    before, after, total = (float(x) for x in args.heap.split())
    # MicroProfile Health gives every value as a string.
    cache = {key: int(value) for key, value in
             next(c for c in json.load(open(args.stats))["checks"] if c["name"] == "cache")["data"].items()
             if str(value).isdigit()}
    mb = 1024 * 1024
    out.append("### Heap with the cache full")
    out.append("")
    out.append(f"- Cache limit {cache['limitBytes'] / mb:.0f} MB; after filling ({args.fill}): {cache['entries']} "
               f"answers, {cache['bytes'] / mb:.1f} MB, {cache['evictions']} dropped for room; over the whole run "
               f"{cache['hits']} hits, {cache['misses']} misses, {cache['precomputed']} series computed ahead, "
               f"{cache['invalidations']} answers dropped for a change, {cache['flushes']} times emptied")
    out.append(f"- Gateway JVM heap in use after a full GC (jcmd GC.run, GC.heap_info): {before:.1f} MB before "
               f"filling, {after:.1f} MB with the cache full ({after - before:+.1f} MB), while the cache grew from "
               f"{args.cache_bytes_before / mb:.1f} to {cache['bytes'] / mb:.1f} MB "
               f"({(cache['bytes'] - args.cache_bytes_before) / mb:+.1f} MB); heap committed {total:.0f} MB")
    out.append("")
    if misses:
        out.append("Cache targets missed:")
        out.append("")
        out.extend(f"- {m}" for m in misses)
    else:
        out.append("Every cache target met.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
