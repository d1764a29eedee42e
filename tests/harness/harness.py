#!/usr/bin/env python3
"""Start a real Buildbot 4.3 master with a CPython-like fleet, run real builds, and describe it.

    harness.py up STATE_DIR [--fleet mini|full] [--history N] [--past python]
                                                  start, build, leave it running; prints the URL
    harness.py down STATE_DIR                     stop master and workers
    harness.py change STATE_DIR BRANCH ROUND      post round ROUND's commit on BRANCH; prints its revision
    harness.py wait STATE_DIR ROUND               wait until round ROUND's builds finished

Fleets: `mini` (the integration tests' ~90 builders), `full` (all 1036 builders of the table, for
the benchmark), `cache` (two 3.x builders that build round 1 only: the cache tests post round 2
themselves with `change` and watch the builds start and finish), `auth` (the same two builders,
no builds, on a master that requires login for every API read).

`up` writes STATE_DIR/manifest.json: the server URL and, for every builder, its branch, tags,
scenario (one letter per build, oldest first), worker and whether that worker is connected at the
end. Integration tests read it as the ground truth of what ran.

Scenario letters (the outcome of build number N is letter N):
    P  pass: regrtest passes                          -> SUCCESS
    F  fail: a test fails, and fails again on re-run  -> FAILURE ("failed test")
    W  flaky: fails, passes on re-run (exit code 5)   -> WARNINGS
    C  compile error                                  -> FAILURE ("failed compile")
    E  the master errors while starting the test step -> EXCEPTION
    R  the test hangs: the build is still running when the harness hands over
    T  a test hangs past regrtest's --timeout (3 s)  -> FAILURE
    X  a test crashes its worker (SIGSEGV)           -> FAILURE
    D  a test fails with ENOSPC (full disk)          -> FAILURE
    L  a test leaks references under -R 3:3 (debug build) -> FAILURE
    S  pass, after a slow (8 s) compile step              -> SUCCESS

What happens, in order: builders are created from the real fleet table; workers are started for the
builders we build (one worker, kulikjak-solaris-sparcv9, never connects); each branch gets one
change per round through the `base` change hook, and the round waits until its builds finish; the
worker pablogsal-macos-m1 is then stopped (its builders have history but are offline); finally the
config is reloaded without the builders marked retired, which Buildbot keeps with masterids [].
"""
import argparse
import base64
import csv
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# The CPython fleet as its configuration defines it (1036 builders, 8 branches), kept in the
# repository so a bare clone runs its own tests.
FLEET_TSV = os.environ.get(
    "BBR_FLEET_TSV", os.path.join(REPO, "tests", "fixtures", "fleet", "cpython-fleet.tsv"))
GIT_BRANCH = {"3.x": "main", "PR": "refs/pull/140000/merge"}

# Builder definitions (names without the branch word) that the mini fleet takes from the table.
MINI_DEFS = [
    "AMD64 Fedora Stable", "AMD64 Fedora Stable Clang", "AMD64 Fedora Stable LTO",
    "AMD64 Fedora Stable LTO + PGO", "AMD64 Fedora Stable Refleaks",
    "AMD64 Fedora Stable Clang Installed", "AMD64 Ubuntu Shared", "ARM Raspbian",
    "AMD64 FreeBSD14", "AMD64 FreeBSD Refleaks", "AMD64 Alpine Linux", "AMD64 Alpine Linux NoGIL",
    "ARM64 macOS", "AMD64 Fedora Rawhide", "AMD64 Fedora Rawhide Clang",
    "SPARCv9 Oracle Solaris 11.4",
]
MINI_BRANCHES = ["3.x", "3.15", "3.14", "3.13", "3.12", "PR", "3.10"]
# How many builds (rounds) each branch gets; a builder's scenario defaults to all-pass.
# 3.15 gets none: a branch whose builders have no builds yet.
ROUNDS = {"3.x": 4, "3.15": 0, "3.14": 2, "3.13": 2, "3.12": 1, "PR": 1, "3.10": 1}
SCENARIOS = {
    "AMD64 Fedora Stable 3.x": "PPPP",
    "AMD64 Fedora Stable Clang 3.x": "PPFF",
    "AMD64 Fedora Stable LTO 3.x": "PPPW",
    "AMD64 Fedora Stable LTO + PGO 3.x": "FFFF",
    "AMD64 Fedora Stable Refleaks 3.x": "PPPF",
    "AMD64 Fedora Stable Clang Installed 3.x": "PPPR",
    "AMD64 Ubuntu Shared 3.x": "PPPC",
    "ARM Raspbian 3.x": "PFFF",
    "AMD64 FreeBSD14 3.x": "PPEE",
    "AMD64 FreeBSD Refleaks 3.x": "",
    "AMD64 Alpine Linux 3.x": "PWPW",
    "AMD64 Alpine Linux NoGIL 3.x": "FFFP",
    "AMD64 Fedora Rawhide 3.x": "FFFF",
    "AMD64 Fedora Stable 3.14": "PF",
    "ARM Raspbian 3.14": "WW",
    "AMD64 Fedora Stable LTO 3.13": "CP",
    "ARM Raspbian 3.12": "F",
    # Log shapes for triage, on unstable builders so no release verdict moves.
    "AMD64 Fedora Rawhide 3.12": "T",
    "AMD64 Fedora Rawhide Clang 3.12": "X",
    "AMD64 Fedora Rawhide 3.13": "PD",
    "AMD64 Fedora Rawhide Clang 3.13": "PL",
}
# 3.13 waits for its tree to be stable for 3 s, and gets two commits at once in round 2: one
# build tests both (how python.org's 30 s treeStableTimer batches bursts of pushes).
TREE_STABLE_TIMER = {"3.13": 3}
EXTRA_COMMITS = {("3.13", 2): ["2a"]}
NEVER_CONNECTED = {"kulikjak-solaris-sparcv9"}
DISCONNECTED_AT_END = {"pablogsal-macos-m1"}
RETIRED = {"AMD64 Ubuntu Shared 3.10"}
# The cache fleet: round 1 at `up`, round 2 posted by the test (a new failure, a slow build).
CACHE_SCENARIOS = {"AMD64 Fedora Stable 3.x": "PF", "AMD64 Alpine Linux 3.x": "PS"}
UP_ROUNDS = {"cache": 1, "auth": 0}
# The auth fleet's one login (tests/it/live_auth.rs passes it as BBREPORT_TOKEN).
AUTH = {"user": "release-manager", "password": "s3cret-harness-pw"}
AUTHORS = ["Ada Example <ada@example.org>", "Ben Sample <ben@example.com>",
           "Cleo van Placeholder <cleo@example.org>", "Dev Fictive <dev@example.com>"]


def venv_bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_table():
    with open(FLEET_TSV, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def def_name(row):
    return row["builder_name"][: -len(row["branch"]) - 1]


def build_fleet(fleet):
    rows = load_table()
    builders = []
    for row in rows:
        mini = def_name(row) in MINI_DEFS and row["branch"] in MINI_BRANCHES
        if fleet == "mini" and not mini:
            continue
        if fleet in ("cache", "auth") and row["builder_name"] not in CACHE_SCENARIOS:
            continue
        if fleet == "mini" and row["branch"] == "3.10" and row["builder_name"] not in RETIRED:
            continue  # 3.10 exists only to hold a retired builder
        name = row["builder_name"]
        if fleet == "auth":
            scenario = ""
        elif fleet == "cache":
            scenario = CACHE_SCENARIOS[name]
        elif not mini or row["worker_name"] in NEVER_CONNECTED:
            scenario = ""
        else:
            scenario = SCENARIOS.get(name, "P" * ROUNDS[row["branch"]])
        builders.append({
            "name": name,
            "branch": row["branch"],
            "git_branch": GIT_BRANCH.get(row["branch"], row["branch"]),
            "tags": row["builder_tags"].split(","),
            "worker": row["worker_name"],
            "builddir": row["builddir"],
            "steps": row["steps"].split("|"),
            "scenario": scenario,
            "retired": name in RETIRED,
        })
    return builders


OPENER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())


def login(base):
    """Buildbot's own login: Basic credentials on auth/login, then its session cookie."""
    token = base64.b64encode(f"{AUTH['user']}:{AUTH['password']}".encode()).decode()
    req = urllib.request.Request(base + "auth/login", headers={"Authorization": f"Basic {token}"})
    OPENER.open(req, timeout=30).read()


def api(base, path, tries=5):
    """GET the master's API. A master busy running builds now and then cuts a response short
    (seen: IncompleteRead); the harness's own polling retries rather than abort the run."""
    req = urllib.request.Request(base + "api/v2/" + path, headers={"Accept": "application/json"})
    for attempt in range(tries):
        try:
            with OPENER.open(req, timeout=30) as r:
                return json.load(r)
        except (http.client.HTTPException, ConnectionError, urllib.error.URLError, ValueError) as e:
            if attempt == tries - 1:
                raise
            log(f"retrying {path[:60]}: {e!r}")
            time.sleep(0.5 * (attempt + 1))


COMMITS = []  # every change posted, for the manifest


def post_change(base, branch, git_branch, rnd, label=None):
    """Commit `label` (default: the round number) on `branch`; the round's build tests the
    round's last commit, so only that one has `built` true."""
    label = label or str(rnd)
    revision = hashlib.sha1(f"{branch}:{label}".encode()).hexdigest()
    author = AUTHORS[rnd % len(AUTHORS)]
    subject = f"gh-{139990 + rnd}: Change {label} on {branch}"
    COMMITS.append({"branch": branch, "round": rnd, "label": label, "revision": revision,
                    "subject": subject, "author": author, "built": label == str(rnd)})
    data = urllib.parse.urlencode({
        "author": author, "committer": author,
        "comments": f"{subject}\n\nHarness commit.",
        "revision": revision, "branch": git_branch, "project": "cpython",
        "repository": "https://github.com/python/cpython",
        "files": json.dumps([f"Lib/module{rnd}.py"]),
        "when_timestamp": str(int(time.time())),
    }).encode()
    urllib.request.urlopen(base + "change_hook/base", data=data, timeout=30).read()


# A round is ~90 real regrtest builds on 8 workers: about a minute on an idle 2-core machine,
# several under load; the bound only stops a harness that is stuck.
def wait_for_round(base, builders, rnd, timeout=900, history=0):
    """Wait until every builder with a letter for round `rnd` has finished that build (number
    `rnd` after the `history` synthetic builds)."""
    ids = {b["name"]: b["id"] for b in builders}
    want = {ids[b["name"]]: b["scenario"][rnd - 1] for b in builders
            if len(b["scenario"]) >= rnd}
    deadline = time.time() + timeout
    while time.time() < deadline:
        q = "&".join(f"builderid__eq={i}" for i in want)
        builds = api(base, f"builds?{q}&number__eq={rnd + history}&field=builderid&field=number&field=complete")["builds"]
        done = {b["builderid"] for b in builds if b["complete"] or want[b["builderid"]] == "R"}
        if done >= set(want):
            return
        time.sleep(0.5)
    raise SystemExit(f"harness: round {rnd} did not finish within {timeout}s")


def up(state, fleet, history=0, past=None):
    if os.path.exists(state):
        down(state, quiet=True)
        shutil.rmtree(state)
    os.makedirs(state)
    master_dir = os.path.join(state, "master")
    www_port, pb_port = free_port(), free_port()
    builders = build_fleet(fleet)
    workers = sorted({b["worker"] for b in builders})
    config = {
        "www_port": www_port, "pb_port": pb_port, "worker_password": "harness",
        "python": sys.executable, "step_script": os.path.join(HERE, "step.py"),
        "workers": workers, "builders": builders, "phase": 1,
        "tree_stable_timer": {GIT_BRANCH.get(b, b): t for b, t in TREE_STABLE_TIMER.items()},
    }
    if fleet == "auth":
        config["auth"] = AUTH
    if history:
        # N synthetic finished builds per builder before the real ones (history.py).
        config["history"] = {"rounds": history,
                             "log": os.path.join(REPO, "tests", "fixtures", "logs", "fail.txt")}
    subprocess.run([venv_bin("buildbot"), "create-master", "-q", master_dir], check=True)
    shutil.copy(os.path.join(HERE, "master.cfg"), os.path.join(master_dir, "master.cfg"))
    if past:
        write_past(master_dir, config, PAST_BUILDS[past])
    write_json(os.path.join(master_dir, "fleet.json"), config)
    start_master(master_dir)
    base = f"http://127.0.0.1:{www_port}/"
    if fleet == "auth":
        login(base)
    ids = {b["name"]: b["builderid"] for b in api(base, "builders")["builders"]}
    for b in builders:
        b["id"] = ids[b["name"]]
    if history:
        wait_for_history(master_dir)

    built = [b for b in builders if b["scenario"]]
    started = sorted({b["worker"] for b in builders if b["scenario"]} |
                     ({b["worker"] for b in builders} - NEVER_CONNECTED if fleet == "mini" else set()))
    for name in started:
        wdir = os.path.join(state, "workers", name)
        os.makedirs(os.path.dirname(wdir), exist_ok=True)
        subprocess.run([venv_bin("buildbot-worker"), "create-worker", "-q", wdir,
                        f"127.0.0.1:{pb_port}", name, "harness"], check=True)
        subprocess.run([venv_bin("buildbot-worker"), "start", wdir], check=True,
                       stdout=subprocess.DEVNULL)
    wait_connected(base, started)

    rounds = UP_ROUNDS.get(fleet, max((len(b["scenario"]) for b in built), default=0))
    for rnd in range(1, rounds + 1):
        branches = sorted({(b["branch"], b["git_branch"]) for b in built
                           if len(b["scenario"]) >= rnd})
        for branch, git_branch in branches:
            for label in EXTRA_COMMITS.get((branch, rnd), []):
                post_change(base, branch, git_branch, rnd, label)
            post_change(base, branch, git_branch, rnd)
        wait_for_round(base, built, rnd, history=history)
        log(f"round {rnd}: {sum(len(b['scenario']) >= rnd for b in built)} builds done")

    # A commit the master knows but no builder has built: 3.15 has no scheduler that builds.
    if fleet == "mini":
        post_change(base, "3.15", "3.15", 1)

    for name in sorted(DISCONNECTED_AT_END & set(started)):
        subprocess.run([venv_bin("buildbot-worker"), "stop", os.path.join(state, "workers", name)],
                       check=True, stdout=subprocess.DEVNULL)
    wait_disconnected(base, DISCONNECTED_AT_END & set(started))

    if any(b["retired"] for b in builders):
        config["phase"] = 2
        write_json(os.path.join(master_dir, "fleet.json"), config)
        subprocess.run([venv_bin("buildbot"), "reconfig", master_dir], check=True,
                       stdout=subprocess.DEVNULL)
        wait_retired(base, {b["id"] for b in builders if b["retired"]})

    connected = set(started) - DISCONNECTED_AT_END
    manifest = {
        "server": base,
        "auth": config.get("auth"),
        "fleet": fleet,
        "history": history,
        "commits": COMMITS,
        "builders": [{
            "name": b["name"], "builderid": b["id"], "branch": b["branch"], "tags": b["tags"],
            "worker": b["worker"], "scenario": b["scenario"], "retired": b["retired"],
            "worker_connected": b["worker"] in connected,
        } for b in builders],
    }
    write_json(os.path.join(state, "manifest.json"), manifest)
    print(base)


# `--past python`: buildbot.python.org's history size (big_history.py).
PAST_BUILDS = {"python": 2_400_000}


def write_past(master_dir, config, total):
    """Start the master once with no history and no builds, so it registers its builders and
    workers; stop it; write `total` past builds into its database (big_history.py)."""
    bare = {k: v for k, v in config.items() if k != "history"}
    write_json(os.path.join(master_dir, "fleet.json"), bare)
    start_master(master_dir)
    stop_pid(os.path.join(master_dir, "twistd.pid"))
    os.rename(os.path.join(master_dir, "twistd.log"), os.path.join(master_dir, "twistd.log.0"))
    out = subprocess.run([sys.executable, os.path.join(HERE, "big_history.py"),
                          os.path.join(master_dir, "state.sqlite"),
                          os.path.join(master_dir, "fleet.json"), str(total)],
                         check=True, capture_output=True, text=True, cwd=HERE).stdout
    log(f"past history: {out.strip()}")


def start_master(master_dir, timeout=600):
    """What `buildbot start` does, but under Twisted's poll reactor. With the default epoll
    reactor, once a worker has disconnected the master resets some incoming HTTP connections
    (twistd.log: "Unhandled Error ... epollreactor ... _poller.modify ... FileNotFoundError"),
    which turns parallel test runs flaky. bbreport retries such resets (src/api/client.rs); the
    tests and the benchmark need a master that answers every request."""
    subprocess.run([venv_bin("twistd"), "--reactor=poll", "--no_save", "--logfile=twistd.log",
                    "--pidfile=twistd.pid", "--python=buildbot.tac"], cwd=master_dir, check=True,
                   stdout=subprocess.DEVNULL)
    # A full fleet (1000+ builders) takes over a minute to configure on a small machine.
    logfile = os.path.join(master_dir, "twistd.log")
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = open(logfile).read() if os.path.exists(logfile) else ""
        if "BuildMaster is running" in text:
            return
        if "BuildMaster startup failed" in text:
            raise SystemExit(f"harness: the master failed to start; see {logfile}")
        time.sleep(0.5)
    raise SystemExit(f"harness: the master did not start within {timeout}s; see {logfile}")


def wait_for_history(master_dir, timeout=1800):
    done = os.path.join(master_dir, "history.done")
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(done + ".failed"):
            raise SystemExit(f"harness: synthetic history failed: {open(done + '.failed').read()}")
        if os.path.exists(done):
            log(f"synthetic history: {open(done).read().strip()}")
            return
        time.sleep(1)
    raise SystemExit(f"harness: synthetic history did not finish within {timeout}s")


def wait_connected(base, names, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        workers = api(base, "workers")["workers"]
        if {w["name"] for w in workers if w["connected_to"]} >= set(names):
            return
        time.sleep(0.3)
    raise SystemExit("harness: workers did not connect")


def wait_disconnected(base, names, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        workers = api(base, "workers")["workers"]
        if not {w["name"] for w in workers if w["connected_to"]} & set(names):
            return
        time.sleep(0.3)
    raise SystemExit("harness: workers did not disconnect")


def wait_retired(base, ids, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        builders = api(base, "builders")["builders"]
        if all(not b["masterids"] for b in builders if b["builderid"] in ids):
            return
        time.sleep(0.3)
    raise SystemExit("harness: retired builders still active after reconfig")


def down(state, quiet=False):
    """Stop every twistd under STATE (workers first), by pid file; kill what does not stop."""
    pidfiles = []
    for root, _dirs, files in os.walk(state):
        if "twistd.pid" in files:
            pidfiles.append(os.path.join(root, "twistd.pid"))
    pidfiles.sort(key=lambda p: "master" in p)
    for pidfile in pidfiles:
        stop_pid(pidfile)
    if not quiet:
        log(f"stopped {len(pidfiles)} processes")


def stop_pid(pidfile):
    """SIGTERM the process of a twistd pid file, wait for it, SIGKILL it after 10 s."""
    try:
        pid = int(open(pidfile).read().strip())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1)


def log(msg):
    print(f"harness: {msg}", file=sys.stderr, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("command", choices=["up", "down", "change", "wait"])
    p.add_argument("state")
    p.add_argument("args", nargs="*", help="change: BRANCH ROUND; wait: ROUND")
    p.add_argument("--fleet", choices=["mini", "full", "cache", "auth"], default="mini")
    p.add_argument("--history", type=int, default=0, metavar="N",
                   help="write N synthetic finished builds per builder first (history.py)")
    p.add_argument("--past", choices=sorted(PAST_BUILDS),
                   help="before those, a history of that master's size (big_history.py)")
    args = p.parse_args()
    state = os.path.abspath(args.state)
    if args.command == "up":
        up(state, args.fleet, args.history, args.past)
    elif args.command == "down":
        down(state)
    else:
        with open(os.path.join(state, "manifest.json")) as f:
            manifest = json.load(f)
        base = manifest["server"]
        if args.command == "change":
            branch, rnd = args.args[0], int(args.args[1])
            post_change(base, branch, GIT_BRANCH.get(branch, branch), rnd)
            print(COMMITS[-1]["revision"])  # for tests that follow this commit
        else:
            rnd = int(args.args[0])
            builders = [{"name": b["name"], "id": b["builderid"], "scenario": b["scenario"]}
                        for b in manifest["builders"] if b["scenario"]]
            wait_for_round(base, builders, rnd, history=manifest.get("history", 0))


if __name__ == "__main__":
    main()
