#!/usr/bin/env python3
"""Where the gateway's JVM spends CPU: share of Java Flight Recorder execution samples whose
stack contains a method (inclusive), for the gateway's own code and the libraries it leans on,
plus the most contended locks. usage: jfr-top.py RECORDING.jfr [LINES]"""
import collections
import re
import subprocess
import sys

INTERESTING = re.compile(r"org\.ohifgateway\.|org\.mitre\.|jakarta\.json\.spi\.JsonProvider\.provider|"
                         r"java\.util\.zip\.ZipFile\.getEntry|javax\.security\.auth\.login\.LoginContext\.login|"
                         r"JaccWebAuthorizationManager\.checkPermission$|FileRealm\.authenticate|"
                         r"java\.util\.UUID\.randomUUID|java\.util\.logging\.FileHandler\.publish|"
                         r"org\.apache\.catalina\.servlets\.DefaultServlet\.service|"
                         r"org\.apache\.http\.impl\.client\.CloseableHttpClient\.execute")
FRAME = re.compile(r"^\s+([\w$.<>/]+)\(.*?line:\s*(\d+)", re.M)


def events(recording, kind, depth):
    text = subprocess.run(["jfr", "print", "--stack-depth", str(depth), "--events", kind, recording],
                          capture_output=True, text=True, check=True).stdout
    return text.split(kind)[1:]


def main():
    recording = sys.argv[1]
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    samples = events(recording, "jdk.ExecutionSample", 200)
    inclusive = collections.Counter()
    for e in samples:
        for name in {f for f, _ in FRAME.findall(e)}:
            if INTERESTING.search(name):
                inclusive[name] += 1
    print(f"CPU samples: {len(samples)}; share of samples with the method on the stack:")
    for name, count in inclusive.most_common(lines):
        print(f"  {100 * count / max(len(samples), 1):5.1f}%  {name}")

    blocked = collections.Counter()
    for e in events(recording, "jdk.JavaMonitorEnter", 40):
        m = re.search(r"monitorClass = (\S+)", e)
        d = re.search(r"duration = ([\d.]+) (us|ms|s)\b", e)
        frames = FRAME.findall(e)
        if not (m and d and frames):
            continue
        app = next((f"{f}:{l}" for f, l in frames if "ohifgateway" in f), "")
        ms = float(d.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[d.group(2)]
        blocked[f"{m.group(1)} in {frames[0][0]}" + (f" (from {app})" if app else "")] += ms
    print("Longest total waits to enter a lock (ms, all threads):")
    for name, ms in blocked.most_common(8):
        print(f"  {ms:8.0f}  {name}")


if __name__ == "__main__":
    main()
