#!/usr/bin/env python3
"""The benchmark behind README's speed table (run it through scripts/bench.sh, which starts the
master). Usage: bench.py SERVER BBREPORT [RUNS] [RTT_MS...]
       bench.py --combine LABEL=ROWS.json...   (README's table, history sizes side by side)

With BENCH_OUT=FILE the measured rows are also written there as JSON, for --combine.

For each report (-q 3.x, -q for all branches, release, failures 3.x) it measures, in one run:
  cold       bbreport with an empty cache (a fresh BBREPORT_CACHE_DIR per run)
  warm       bbreport again, right after a run filled the cache
  floor      the requests the cold run made (logged with BBREPORT_LOG_REQUESTS=1), replayed by
             one curl with --parallel --parallel-max 4: no parsing, no dependencies between
             requests; what the same data costs at the least
  reference  one request per builder, the way python's tools read a fleet: buildbothammer's
             `builders/{id}/builds?order=-complete_at&limit=N`, and for release the release
             dashboard's own `complete__eq=true&order=-complete_at&limit=200`; for failures also
             the same log requests as bbreport; by one curl, 4 in parallel, keep-alive
Wall time is the median of RUNS runs; requests and bytes (on the wire) from --stats or curl's
-w; peak RSS from wait4(). Ratios are against the cold run of the same report, in this run.

Everything runs twice: straight to the master over loopback (RTT 0), and through a proxy that
delays every chunk by half of RTT_MS each way (default 50 and 150 ms), since bbreport's users reach
buildbot.python.org over the internet, where round trips, not bytes, dominate.
"""
import asyncio
import threading
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

if sys.argv[1] != "--combine":
    MASTER, BIN = sys.argv[1], sys.argv[2]
    RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    RTTS = [int(x) for x in sys.argv[4:]] or [0, 50, 150]
NOW = str(int(time.time()))
SERVER = None  # what the measurements talk to: the master, or the delaying proxy

REPORTS = [
    ("-q 3.x", ["-q", "3.x"], "order=-complete_at&limit=4"),
    ("-q (all branches)", ["-q"], "order=-complete_at&limit=4"),
    ("release (all branches)", ["release"], "complete__eq=true&order=-complete_at&limit=200"),
    ("failures 3.x", ["failures", "3.x"], "order=-complete_at&limit=10"),
    ("tests 3.x", ["tests", "3.x", "--builds", "10"], "order=-complete_at&limit=10"),
    # The newest 3.x commit (its revision is looked up when measured): the naive path is one
    # request per builder plus every one of those builds' changes.
    ("commit (3.x newest)", ["commit", "NEWEST_3X"], "order=-complete_at&limit=10"),
]
# BENCH_ONLY="-q 3.x" measures only the reports with these labels (comma-separated).
if os.environ.get("BENCH_ONLY"):
    ONLY = [x.strip() for x in os.environ["BENCH_ONLY"].split(",")]
    REPORTS = [r for r in REPORTS if r[0] in ONLY]


def start_delay_proxy(rtt_ms):
    """A TCP proxy to the master that holds every chunk rtt/2 in each direction; its URL."""
    host, port = MASTER.split("//")[1].rstrip("/").split(":")
    half = rtt_ms / 2000

    async def pipe(reader, writer):
        queue = asyncio.Queue()

        async def delayed_writer():
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                await asyncio.sleep(max(0, due - time.monotonic()))
                writer.write(data)
                await writer.drain()
            writer.close()

        task = asyncio.ensure_future(delayed_writer())
        try:
            while data := await reader.read(65536):
                queue.put_nowait((time.monotonic() + half, data))
        except ConnectionError:
            pass
        queue.put_nowait((time.monotonic() + half, None))
        await task

    async def handle(client_r, client_w):
        try:
            up_r, up_w = await asyncio.open_connection(host, int(port))
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, up_w), pipe(up_r, client_w), return_exceptions=True)

    ready = threading.Event()
    box = {}

    def serve():
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
        box["port"] = server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait()
    return f"http://127.0.0.1:{box['port']}/"


def run_bbreport(args, cache_dir, log_requests=False):
    """(wall ms, peak RSS KiB, stderr) of one bbreport run. Peak RSS comes from GNU time: a
    child forked by this (bigger) Python process would inherit its high-water mark."""
    env = {"PATH": os.environ["PATH"], "HOME": cache_dir, "BBREPORT_CACHE_DIR": cache_dir,
           "BBREPORT_NOW": NOW}
    if log_requests:
        env["BBREPORT_LOG_REQUESTS"] = "1"
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, BIN, "--server", SERVER,
                            "--stats", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        wall = (time.perf_counter() - t0) * 1000
        peak = int(rss.read().split()[-1])
    err = p.stderr.decode()
    # release verdicts (10-12) and commit's new failures or pending builds (13, 14) are exit
    # codes by design
    if p.returncode not in (0, 10, 11, 12, 13, 14):
        sys.exit(f"bench: bbreport {' '.join(args)} exited {p.returncode}:\n{err}")
    return wall, peak, err


def stats(err):
    """(requests without retries, wire bytes) from the --stats line."""
    line = next(l for l in err.splitlines() if " requests" in l and " received" in l)
    requests = int(line.split()[1])
    retries = re.search(r"\((\d+) (?:was a retry|were retries)\)", line)
    n, unit = re.search(r"([\d.]+) (B|KiB|MiB) received", line).groups()
    scale = {"B": 1, "KiB": 1024, "MiB": 1024 * 1024}[unit]
    return requests - (int(retries.group(1)) if retries else 0), float(n) * scale


def curl(urls, parallel=4):
    """(wall ms, requests, wire bytes) of fetching `urls` with one curl, `parallel` at a time."""
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as cfg:
        for u in urls:
            cfg.write(f'url = "{u}"\noutput = "/dev/null"\n')
    t0 = time.perf_counter()
    out = subprocess.run(
        ["curl", "-s", "--compressed", "-H", "Accept: application/json", "--parallel",
         "--parallel-max", str(parallel), "-w", "%{size_download}\n", "-K", cfg.name],
        check=True, capture_output=True, text=True).stdout
    wall = (time.perf_counter() - t0) * 1000
    os.unlink(cfg.name)
    sizes = [int(x) for x in out.split()]
    return wall, len(sizes), sum(sizes)


def report_builder_ids(args):
    env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "BBREPORT_NOW": NOW}
    out = subprocess.run([BIN, "--server", SERVER, "--no-cache", "--format", "json", *args],
                         env=env, capture_output=True, text=True).stdout
    doc = json.loads(out)
    if "branches" in doc:
        return sorted({b["builderid"] for br in doc["branches"] for b in br["builders"]})
    return sorted({b["builderid"] for b in doc.get("builders", [])})


def median(xs):
    return statistics.median(xs)


def kib(n):
    return f"{n / 1024:.1f} KiB"


def newest_3x_revision():
    env = {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "BBREPORT_NOW": NOW}
    out = subprocess.run([BIN, "--server", SERVER, "--no-cache", "--format", "json", "console",
                          "3.x", "--limit", "1"], env=env, capture_output=True, text=True).stdout
    return json.loads(out)["commits"][0]["revision"][:12]


def builds_changes_urls(ref_urls):
    """`builds/{id}/changes` of every build the per-builder requests list (read untimed)."""
    import urllib.request
    urls = []
    for u in ref_urls:
        req = urllib.request.Request(u, headers={"Accept": "application/json"})
        with urllib.request.urlopen(req) as r:
            for b in json.load(r)["builds"]:
                urls.append(f"{SERVER}api/v2/builds/{b['buildid']}/changes")
    return urls


def measure():
    rows = []
    for label, args, ref_query in REPORTS:
        if "NEWEST_3X" in args:
            args = [newest_3x_revision() if a == "NEWEST_3X" else a for a in args]
        cold, rss, logged = [], [], None
        for i in range(RUNS):
            with tempfile.TemporaryDirectory() as d:
                wall, peak, err = run_bbreport(args, d, log_requests=(i == 0))
                cold.append(wall)
                rss.append(peak)
                if i == 0:
                    cold_stats = stats(err)
                    logged = [m.group(1) for m in re.finditer(r"GET (\S+) -> \d+ bytes", err)]
        with tempfile.TemporaryDirectory() as d:
            run_bbreport(args, d)  # fill the cache
            warm, warm_rss = [], []
            for _ in range(RUNS):
                wall, peak, err = run_bbreport(args, d)
                warm.append(wall)
                warm_rss.append(peak)
            warm_stats = stats(err)
        floor = [curl(logged) for _ in range(RUNS)]
        branch_args = {"failures": ["-q", args[1]], "tests": ["-q", args[1]],
                       "commit": ["-q", "3.x"]}.get(args[0], args)
        ids = report_builder_ids(branch_args)
        ref_urls = [f"{SERVER}api/v2/builders/{i}/builds?{ref_query}" for i in ids]
        if args[0] == "commit":
            ref_urls += builds_changes_urls(list(ref_urls))
        if args[0] in ("failures", "tests", "commit"):  # the same log requests as bbreport
            ref_urls += [u for u in logged if "/steps" in u or "/logs" in u or "/contents" in u]
        reference = [curl(ref_urls) for _ in range(RUNS)]
        c = median(cold)
        rows.append((label, "cold", cold_stats[0], cold_stats[1], c, max(rss), 1.0))
        rows.append((label, "warm", warm_stats[0], warm_stats[1], median(warm), max(warm_rss),
                     median(warm) / c))
        f = median(x[0] for x in floor)
        rows.append((label, "floor (curl, same requests)", floor[0][1], floor[0][2], f, None, f / c))
        r = median(x[0] for x in reference)
        rows.append((label, "reference (per builder)", reference[0][1], reference[0][2], r, None,
                     r / c))
    return rows


def table(rows, rtt):
    where = "loopback" if rtt == 0 else f"through a proxy adding {rtt} ms of round trip"
    print(f"\n### {where}\n")
    print(f"Master {MASTER}, {RUNS} runs each, wall = median; ratio = wall / the report's cold run.\n")
    print("| report | run | requests | bytes (wire) | wall ms | peak RSS | ratio |")
    print("|---|---|---|---|---|---|---|")
    for label, mode, req, nbytes, wall, peak, ratio in rows:
        rss_text = f"{peak / 1024:.1f} MiB" if peak else ""
        print(f"| {label} | {mode} | {req} | {kib(nbytes)} | {wall:.0f} | {rss_text} | {ratio:.2f} |")
    print()
    for label, *_ in REPORTS:
        mine = {r[1].split()[0]: r for r in rows if r[0] == label}
        cold, warm, floor, ref = mine["cold"], mine["warm"], mine["floor"], mine["reference"]
        print(f"- {label}: cold = {cold[4] / floor[4]:.2f}x the curl floor, "
              f"{ref[4] / cold[4]:.1f}x faster than per-builder; "
              f"warm = {warm[4] / cold[4]:.2f}x cold wall, {100 * warm[3] / cold[3]:.1f}% of cold bytes; "
              f"peak RSS {max(cold[5], warm[5]) / 1024:.1f} MiB")


def combine(args):
    """One markdown table: for each RTT and report, a row per history size."""
    runs = []
    for arg in args:
        label, path = arg.split("=", 1)
        with open(path) as f:
            runs.append((label, json.load(f)))
    print("| report | history | cold ms (requests, wire) | warm ms (requests, wire) "
          "| floor ms | per-builder ms (requests) | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for rtt in runs[0][1]:
        title = "loopback" if rtt == "0" else f"{rtt} ms round trip"
        print(f"| **{title}** | | | | | | |")
        for label, *_ in REPORTS:
            for history, by_rtt in runs:
                rows = {r[1].split()[0]: r for r in by_rtt[rtt] if r[0] == label}
                cold, warm, floor, ref = rows["cold"], rows["warm"], rows["floor"], rows["reference"]
                rss = max(cold[5], warm[5]) / 1024
                print(f"| `{label}` | {history} | {cold[4]:.0f} ({cold[2]}, {kib(cold[3])}) "
                      f"| {warm[4]:.0f} ({warm[2]}, {kib(warm[3])}) | {floor[4]:.0f} "
                      f"| {ref[4]:.0f} ({ref[2]}) | {rss:.1f} MiB |")


if sys.argv[1] == "--combine":
    combine(sys.argv[2:])
    sys.exit(0)

measured = {}
for rtt in RTTS:
    SERVER = MASTER if rtt == 0 else start_delay_proxy(rtt)
    measured[str(rtt)] = measure()
    table(measured[str(rtt)], rtt)
if os.environ.get("BENCH_OUT"):
    with open(os.environ["BENCH_OUT"], "w") as f:
        json.dump(measured, f)
