#!/usr/bin/env python3
"""What each shape of builds query costs a real master (issue 15; README, "Speed").
Usage: query_costs.py SERVER [RUNS]

For the 3.x builders of the master (builders tagged 3.x, still configured) it times, by median
of RUNS (default 5) plain GETs one at a time:
  newest (whole master)   builds?order=-buildid&limit=1            Buildbot counts every build
  newest of a sample      the same over 8 of the 3.x builders      counts only theirs
  IN-list, no floor       builderid__eq=…&order=-buildid&limit=M   counts all their builds
  IN-list, floor          the same with buildid__gt=<top − 4096>   counts those in the window
  short ones, no floor    the builders with < 4 builds in that window, below it (never-built
                          and rarely-building builders: what bbreport's widening asks)
"""
import json
import statistics
import sys
import time
import urllib.request

SERVER = sys.argv[1].rstrip("/") + "/api/v2/"
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
FIELDS = "&".join(f"field={f}" for f in ("buildid", "builderid", "number", "results", "complete",
                                          "started_at", "complete_at", "state_string"))
N = 4


def get(path):
    req = urllib.request.Request(SERVER + path, headers={"Accept": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        body = json.load(r)
    return (time.perf_counter() - t0) * 1000, body


def timed(label, path):
    walls = []
    for _ in range(RUNS):
        wall, body = get(path)
        walls.append(wall)
    rows = len(next(v for k, v in body.items() if k != "meta"))
    print(f"| {label} | {statistics.median(walls):.0f} | {rows} |")
    return body


builders = get("builders?field=builderid&field=tags&field=masterids")[1]["builders"]
ids = sorted(b["builderid"] for b in builders if "3.x" in b["tags"] and b["masterids"])
in_list = "&".join(f"builderid__eq={i}" for i in ids)
step = -(-len(ids) // 8)
sample = "&".join(f"builderid__eq={i}" for i in ids[::step])
print(f"{SERVER}: {len(ids)} builders of 3.x, median of {RUNS}\n")
print("| query | ms | rows |")
print("|---|---|---|")
top = timed("newest build of the master (`order=-buildid&limit=1`)",
            "builds?order=-buildid&limit=1&field=buildid")["builds"][0]["buildid"]
timed("newest build of 8 of them", f"builds?{sample}&order=-buildid&limit=1&field=buildid&field=builderid")
limit = len(ids) * N * 2
timed(f"IN-list of {len(ids)}, no floor, limit {limit}",
      f"builds?{in_list}&order=-buildid&limit={limit}&{FIELDS}")
floor = top - 1024 * N
window = timed(f"IN-list of {len(ids)}, `buildid__gt=top−{1024 * N}`, limit {limit}",
               f"builds?{in_list}&buildid__gt={floor}&order=-buildid&limit={limit}&{FIELDS}")
have = {}
for b in window["builds"]:
    have[b["builderid"]] = have.get(b["builderid"], 0) + 1
short = [i for i in ids if have.get(i, 0) < N]
if short:
    q = "&".join(f"builderid__eq={i}" for i in short)
    timed(f"IN-list of the {len(short)} short in it, below it, no floor",
          f"builds?{q}&buildid__lt={floor + 1}&order=-buildid&limit={len(short) * N * 2}&{FIELDS}")
