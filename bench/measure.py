#!/usr/bin/env python3
"""One measurement of one workload against one server; prints one JSON line.

Modes:
  duration  h2load --h1 for a fixed time (after a warm-up); throughput from completed requests
            and from bytes received in the window, latency percentiles from h2load's request log.
  burst     h2load --h1 with exactly as many requests as connections, all at once; for requests
            so slow that few would complete inside a short window (Orthanc's series metadata).
  curl      curl --parallel with a fixed number of transfers; for Orthanc's whole-series
            answers, which end by closing the connection (no length, no chunks), a body that
            h2load counts as an error. Gives time to first byte of every transfer.

CPU time (user+system, from /proc) of the given process groups is sampled around the run;
--cpu groups count whole process trees (PostgreSQL's backends, a launcher's JVM).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            # utime, stime are fields 14 and 15 of the whole line (11 and 12 after the name).
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return total / TICK


def compiler_cpu_seconds(pids):
    """The part of cpu_seconds spent by the JVM's JIT compiler threads (none in other processes)."""
    total = 0
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except (FileNotFoundError, ProcessLookupError):
            continue
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/stat") as f:
                    name, fields = f.read().split("(", 1)[1].rsplit(")", 1)
                if name.startswith(("C1 CompilerThre", "C2 CompilerThre")):
                    fields = fields.split()
                    total += int(fields[11]) + int(fields[12])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                pass
    return total / TICK


def tree_cpu_seconds(pids):
    """The processes, their live descendants, and the children they have reaped (cutime, cstime):
    a child that ends during the run moves its time into its parent's counters."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = f.read().rsplit(")", 1)[1].split()[1]
                children.setdefault(ppid, []).append(entry)
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    total, todo = 0, list(pids)
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        todo += children.get(pid, [])
    return total / TICK


def machine_busy_seconds():
    """CPU time all processes of the machine spent (every core, idle and I/O wait left out)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICK


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def duration_text_seconds(text):
    m = re.match(r"([\d.]+)(us|ms|s)$", text)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]


def run_h2load(args, headers, urls, extra):
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "requests.log")
        cmd = ["h2load", "--h1", "-t", "1", "-c", str(args.conc), f"--log-file={log}"]
        for h in headers:
            cmd += ["-H", h]
        if len(urls) > 1:
            listing = os.path.join(tmp, "urls.txt")
            with open(listing, "w") as f:
                f.write("\n".join(urls) + "\n")
            cmd += ["-i", listing]
        else:
            cmd += urls
        cmd += extra
        started = time.monotonic()
        out = run_with_retry(cmd, args)
        wall = time.monotonic() - started
        lines = []
        if os.path.exists(log):
            with open(log) as f:
                lines = [l.split("\t") for l in f if l.strip()]
    finished = re.search(r"finished in (\S+),", out)
    reqs = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                     r"(\d+) errored, (\d+) timeout", out)
    codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    traffic = re.search(r"traffic: \S+ \((\d+)\) total", out)
    if not (finished and reqs and codes and traffic):
        raise SystemExit("h2load output not understood:\n" + out)
    ok_latencies = [int(l[2]) / 1000.0 for l in lines if l[1].startswith("2")]
    return {
        "elapsed_s": duration_text_seconds(finished.group(1)),
        "wall_s": wall,
        "done": int(reqs.group(3)),
        "succeeded": int(reqs.group(4)),
        "failed": int(reqs.group(5)),
        "non2xx": int(codes.group(2)) + int(codes.group(3)) + int(codes.group(4)),
        "bytes": int(traffic.group(1)),
        "lat_ms": ok_latencies,
    }


def run_with_retry(cmd, args):
    """h2load's output. In a timed run h2load once kept one client reconnecting for minutes after
    'Stopped all clients'; such a run is killed and started once more."""
    limit = args.timeout
    if "-D" in cmd:
        limit = min(limit, args.warmup + args.duration + 30)
    for attempt in (1, 2):
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit)
            return proc.stdout + proc.stderr
        except subprocess.TimeoutExpired:
            print(f"measure.py: h2load did not stop within {limit:.0f} s (attempt {attempt})", file=sys.stderr)
    raise SystemExit("h2load did not stop twice: " + " ".join(cmd))


def run_curl(args, headers, url):
    cmd = ["curl", "-s", "--parallel", "--parallel-immediate", "--parallel-max", str(args.conc),
           "-w", "%{http_code} %{size_download} %{time_starttransfer} %{time_total}\\n"]
    for h in headers:
        cmd += ["-H", h]
    for _ in range(args.requests):
        cmd += [url, "-o", "/dev/null"]
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout).stdout
    wall = time.monotonic() - started
    rows = [l.split() for l in out.splitlines() if l.strip()]
    ok = [r for r in rows if r[0].startswith("2")]
    return {
        "elapsed_s": wall,
        "wall_s": wall,
        "done": len(rows),
        "succeeded": len(ok),
        "failed": args.requests - len(ok),
        "non2xx": len(rows) - len(ok),
        "bytes": sum(int(r[1]) for r in ok),
        "lat_ms": [float(r[3]) * 1000 for r in ok],
        "ttfb_ms": [float(r[2]) * 1000 for r in ok],
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["duration", "burst", "curl"], required=True)
    p.add_argument("--conc", type=int, required=True)
    p.add_argument("--duration", type=float, default=5)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--requests", type=int, default=0, help="curl mode: number of transfers")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--header", action="append", default=[])
    p.add_argument("--url", action="append", default=[], help="one or more; h2load uses them in turn")
    p.add_argument("--proxy-pids", default="", help="comma-separated: the proxy's processes")
    p.add_argument("--orthanc-pids", default="")
    p.add_argument("--cpu", action="append", default=[], metavar="KIND=PID,PID",
                   help="CPU seconds of these process trees, reported under cpu_s.KIND")
    p.add_argument("--body-bytes", type=int, default=0,
                   help="size of one response body: throughput also as bytes received / this, "
                        "which counts responses still in flight when the window closes")
    p.add_argument("--label", action="append", default=[], help="key=value copied into the output")
    args = p.parse_args()

    proxy = [x for x in args.proxy_pids.split(",") if x]
    orthanc = [x for x in args.orthanc_pids.split(",") if x]
    trees = {kind: [x for x in pids.split(",") if x] for kind, pids in (c.split("=", 1) for c in args.cpu)}
    cpu_before = (cpu_seconds(proxy), cpu_seconds(orthanc), compiler_cpu_seconds(proxy))
    trees_before = {kind: tree_cpu_seconds(pids) for kind, pids in trees.items()}
    machine_before = machine_busy_seconds()
    if args.mode == "duration":
        r = run_h2load(args, args.header, args.url,
                       ["-D", f"{round(args.duration * 1000)}ms",
                        "--warm-up-time", f"{round(args.warmup * 1000)}ms"])
        window = args.duration
    elif args.mode == "burst":
        r = run_h2load(args, args.header, args.url, ["-n", str(args.conc)])
        window = r["elapsed_s"]
    else:
        r = run_curl(args, args.header, args.url[0])
        window = r["elapsed_s"]
    cpu_after = (cpu_seconds(proxy), cpu_seconds(orthanc), compiler_cpu_seconds(proxy))
    trees_after = {kind: tree_cpu_seconds(pids) for kind, pids in trees.items()}
    machine_after = machine_busy_seconds()

    lat = r.pop("lat_ms")
    ttfb = r.pop("ttfb_ms", [])
    result = dict(kv.split("=", 1) for kv in args.label)
    result.update(r)
    result.update({
        "window_s": window,
        "rps": r["succeeded"] / window if window else 0.0,
        "mbps": r["bytes"] / window / 1e6 if window else 0.0,
        "body_bytes": args.body_bytes or None,
        "rps_bytes": r["bytes"] / window / args.body_bytes if window and args.body_bytes else None,
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "ttfb_p50_ms": percentile(ttfb, 50),
        "ttfb_p99_ms": percentile(ttfb, 99),
        # Over the whole run, warm-up included: compare as CPU per second of wall time.
        "proxy_cpu_s": cpu_after[0] - cpu_before[0],
        "orthanc_cpu_s": cpu_after[1] - cpu_before[1],
        # Of proxy_cpu_s, the JIT compiler threads: code still being compiled (or compiled again)
        # costs a JVM during the run what a server that has run for a while no longer pays.
        "proxy_compiler_cpu_s": cpu_after[2] - cpu_before[2],
        "cpu_s": {kind: trees_after[kind] - trees_before[kind] for kind in trees},
        "machine_busy_s": machine_after - machine_before,
        "loadavg": open("/proc/loadavg").read().split()[0],
    })
    print(json.dumps(result))


if __name__ == "__main__":
    main()
