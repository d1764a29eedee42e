#!/usr/bin/env python3
"""`bbreport build` on a 10 MB test log without a final summary (run it through
scripts/bench-logs.sh, which starts the master). Usage: bench_logs.py SERVER BBREPORT [RUNS]

Two ways of reading the same log, cold (a fresh cache each run), in one run of this script:
  default    head and tail windows, then the search of the middle from the progress counters
  reference  --full-log: every line, in pages of 20,000
Wall time is the median of RUNS runs; requests and bytes on the wire from --stats; the search's
own requests, bytes and rounds from the JSON report; peak RSS from GNU time. The ratio column is
the reference's figure over the default's.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

SERVER, BIN = sys.argv[1], sys.argv[2]
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
BUILDER = "AMD64 Killed Huge Run 3.13"


def run(extra):
    """(wall ms, peak RSS KiB, requests, wire bytes, report) of one cold run."""
    with tempfile.TemporaryDirectory() as cache, tempfile.NamedTemporaryFile("r") as rss:
        env = {"PATH": os.environ["PATH"], "HOME": cache, "BBREPORT_CACHE_DIR": cache}
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, BIN, "--server", SERVER,
                            "--stats", "--format", "json", "build", BUILDER, "1", *extra],
                           env=env, capture_output=True, text=True)
        wall = (time.perf_counter() - t0) * 1000
        peak = int(rss.read().split()[-1])
    if p.returncode != 0:
        sys.exit(f"bench_logs: bbreport exited {p.returncode}:\n{p.stderr}")
    line = next(l for l in p.stderr.splitlines() if " requests" in l and " received" in l)
    n, unit = re.search(r"([\d.]+) (B|KiB|MiB) received", line).groups()
    wire = float(n) * {"B": 1, "KiB": 1024, "MiB": 1024 * 1024}[unit]
    return wall, peak, int(line.split()[1]), wire, json.loads(p.stdout)


def main():
    rows = {}
    for name, extra in (("default", []), ("reference (--full-log)", ["--full-log"])):
        runs = [run(extra) for _ in range(RUNS)]
        report = runs[-1][4]
        log = report["test_log"]
        failed = sorted(log["summary"]["failed"])
        rows[name] = {
            "wall": statistics.median(r[0] for r in runs),
            "rss": max(r[1] for r in runs),
            "requests": runs[-1][2],
            "wire": runs[-1][3],
            "lines": sum(w["limit"] for w in log["windows"]),
            "num_lines": log["num_lines"],
            "search": log["search"],
            "failed": failed,
        }
    d, r = rows["default"], rows["reference (--full-log)"]
    if d["failed"] != r["failed"]:
        sys.exit(f"bench_logs: the readings disagree: {d['failed']} != {r['failed']}")
    s = d["search"]
    print(f"log: {d['num_lines']} lines; failed: {' '.join(d['failed'])}")
    print(f"search: {s['requests']} requests in {s['rounds']} rounds, "
          f"{s['bytes'] / 1024:.1f} KiB; {s['counted']} counted, {s['unlocated']} unlocated\n")
    print("| reading | wall (median) | requests | on the wire | lines read | peak RSS |")
    print("|---|---|---|---|---|---|")
    for name, x in rows.items():
        print(f"| {name} | {x['wall']:.0f} ms | {x['requests']} | {x['wire'] / 1024:.1f} KiB | "
              f"{x['lines']} | {x['rss'] / 1024:.1f} MiB |")
    print(f"| reference / default | {r['wall'] / d['wall']:.1f}x | "
          f"{r['requests'] / d['requests']:.2f}x | {r['wire'] / d['wire']:.1f}x | "
          f"{r['lines'] / d['lines']:.1f}x | {r['rss'] / d['rss']:.2f}x |")


main()
