#!/usr/bin/env python3
"""Start a real Buildbot 4.3 master with a CPython-like fleet, run real builds, and describe it.

    harness.py up STATE_DIR [--fleet mini|full|cache|auth|cases|states|push|health] [--history N] [--past python]
                            [--buildbot VERSION]  start, build, leave it running; prints the URL
    harness.py down STATE_DIR                     stop master and workers
    harness.py change STATE_DIR BRANCH ROUND      post round ROUND's commit on BRANCH; prints its revision
    harness.py wait STATE_DIR ROUND               wait until round ROUND's builds finished

`--buildbot 3.11.9` (or 3.0.3, 2.10.5) runs that Buildbot from its own venv, .venv-bb<VERSION>
(`BBREPORT_BUILDBOT=VERSION scripts/setup-venv.sh` makes it): the harness re-runs itself under that
venv's Python. Without it, the Buildbot of the Python running the harness (4.3.0 in .venv).

Fleets: `mini` (the integration tests' ~90 builders), `full` (all 1036 builders of the table, for
the benchmark), `cache` (two 3.x builders that build round 1 only: the cache tests post round 2
themselves with `change` and watch the builds start and finish), `auth` (the same two builders,
no builds, on a master that requires login for every API read), `cases` (one builder per real
regrtest log of tests/fixtures/regrtest-cases/, whose test step prints it as it is in build 1 and
inside a long passing run in build 2, and two builders with the logs the harness makes itself:
the devguide's current `make buildbottest` shape, and a long run killed by Buildbot's no-output
timeout; see regrtest_logs.py), `states` (the two builders of `cache` and a third, put into the states
of a long-lived master: see `states()`), `push` (three 3.x builders and their PR builders,
for `bbreport commit` and `bbreport pr`: see PUSH_SCENARIOS), `health` (eight 3.x builders, four rounds of flaky,
refleak-only, persistent and infrastructure failures: see HEALTH_SCENARIOS).

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
    Q  test_bbr_broken and test_bbr_regress fail (the push fleet's PR) -> FAILURE
The `cases` fleet's letters (regrtest_logs.py):
    A  the builder's real case, as it is                   -> FAILURE (WARNINGS for case 02)
    B  the same case inside a long passing run             -> the same result
    G  the devguide's `make buildbottest` shape, real regrtest -j4, fails again on re-run -> FAILURE
    K  a long run, failures in its middle, killed by the no-output timeout -> FAILURE

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
UP_ROUNDS = {"cache": 1, "auth": 0, "states": 2}
# The push fleet (tests/it/live_commit_pr.rs): pushes to main and a pull request's two heads.
# Round 1 passes everywhere; round 2 breaks test_bbr_broken on Raspbian (and Alpine's compile);
# round 3 is two commits batched into one build (3a inside 3's: main's tree-stable timer) that
# break test_bbr_broken on Fedora and Alpine, where Raspbian already failed it (pre-existing);
# round 4, a later push, is still building on Alpine (R) when the tests run. The PR
# (refs/pull/140000/merge) gets two heads: the second fails test_bbr_broken (as main does) and
# test_bbr_regress (its own) on Fedora, test_bbr_broken on Raspbian, and still builds on Alpine.
PUSH_SCENARIOS = {
    "AMD64 Fedora Stable 3.x": "PPFF", "AMD64 Alpine Linux 3.x": "PCFR",
    "ARM Raspbian 3.x": "PFFF",
    "AMD64 Fedora Stable PR": "PQ", "AMD64 Alpine Linux PR": "PR", "ARM Raspbian PR": "PF",
}
PUSH_TREE_STABLE_TIMER = {"3.x": 3}
PUSH_EXTRA_COMMITS = {("3.x", 3): ["3a"]}
# The health fleet (`bbreport tests`/`test NAME`, tests/it/live_test_health.rs), 4 rounds on 3.x:
# test_bbr_flaky passes on re-run on three builders (W), test_bbr_hang times out once and passes
# in the next build (T then P: flaky by the next build), test_bbr_leak leaks only on the two
# refleak builders (L), test_bbr_broken fails the last three builds of one builder (F:
# persistent), and infrastructure: a full disk (D), an exception in the test step (E), beside a
# test that crashes its worker process (X: that test's failure) and a compile error (C).
HEALTH_SCENARIOS = {
    "AMD64 Fedora Stable 3.x": "WPWP",
    "AMD64 Alpine Linux 3.x": "TPWP",
    "AMD64 Debian root 3.x": "PPPW",
    "AMD64 Fedora Stable Refleaks 3.x": "PLPL",
    "AMD64 FreeBSD Refleaks 3.x": "PPLP",
    "ARM Raspbian 3.x": "PFFF",
    "AMD64 Fedora Rawhide 3.x": "PDPX",
    "AMD64 Ubuntu Shared 3.x": "PEPC",
}
# The states fleet: build 2 of the first builder hangs when its master is killed; build 3 of both
# runs on the master restarted under another name; the second builder's worker is then paused.
# The third builder fails (3), then its build 4 hangs until its worker's host dies (RETRY); the
# master re-runs the same build request as build 5, which hangs until it is stopped through the
# REST API (CANCELLED): a retry and a cancel on top of a failure.
STATES_SCENARIOS = {"AMD64 Fedora Stable 3.x": "PRP", "AMD64 Alpine Linux 3.x": "PPP",
                    "AMD64 Debian root 3.x": "PPFRR"}
PAUSE_REASON = "disk replacement (harness)"
# A builder with no tags at all (python.org has had such, e.g. a Valgrind builder): it builds
# with 3.x's commits, but names no branch.
STATES_EXTRA = [
    {"name": "AMD64 Arch Linux Valgrind", "worker": "states-untagged", "scenario": "PP",
     "tags": [], "builddir": "untagged.arch-valgrind", "branch": "3.x",
     "steps": ["git", "compile", "test"]},
]
# The states fleet runs Buildbot's JanitorConfigurator (as python.org's master.cfg does), with a
# log horizon this short (seconds): forced at the end, it deletes the content of every older log.
STATES_LOG_HORIZON = 30
# Buildbot 4.3 marks a dead master inactive, and RETRYs its builds, once its row has been silent
# for 10 minutes (buildbot.data.masters.EXPIRE_MINUTES). The states fleet's master waits 60, so
# the stale build outlives the test run on a loaded machine; what bbreport sees is the same.
STATES_EXPIRE_MINUTES = 60
# bbreport calls a master gone once its last_active lags the newest master's by this much
# (src/model/stale.rs SILENT_AFTER: three missed 60 s heartbeats), plus a margin.
MASTER_SILENT_AFTER = 180 + 5
# The auth fleet's one login (tests/it/live_auth.rs passes it as BBREPORT_TOKEN).
AUTH = {"user": "release-manager", "password": "s3cret-harness-pw"}
# The cases fleet: every case of tests/fixtures/regrtest-cases/ on its own builder, plus the two
# logs the harness makes. The cases are on 3.x, with a test step only (no checkout: each build
# costs as little as Buildbot allows); the two others on 3.14, built once, with git and test
# steps as CPython's builders have. K's step is killed after CASES_NO_OUTPUT_TIMEOUT seconds
# without output (Buildbot's ShellCommand `timeout=`).
CASES_DIR = os.path.join(REPO, "tests", "fixtures", "regrtest-cases")
CASES_EXTRA = [
    {"name": "AMD64 Devguide Shape 3.14", "worker": "cases-devguide", "scenario": "G",
     "tags": ["3.14", "stable", "tier-1"], "builddir": "3.14.cases.devguide-shape",
     "branch": "3.14", "steps": ["git", "test"]},
    {"name": "AMD64 Killed Long Run 3.14", "worker": "cases-killed", "scenario": "K",
     "tags": ["3.14", "stable", "tier-2"], "builddir": "3.14.cases.killed-long-run",
     "branch": "3.14", "steps": ["git", "test"]},
    # 10 MB, killed: the search of a long log's middle, measured by scripts/bench-logs.sh.
    # On a branch of its own, so the failures of 3.14 stay those of the two logs above.
    {"name": "AMD64 Killed Huge Run 3.13", "worker": "cases-huge", "scenario": "H",
     "tags": ["3.13", "unstable", "tier-3"], "builddir": "3.13.cases.killed-huge-run",
     "branch": "3.13", "steps": ["git", "test"]},
]
CASES_NO_OUTPUT_TIMEOUT = 4
AUTHORS = ["Ada Example <ada@example.org>", "Ben Sample <ben@example.com>",
           "Cleo van Placeholder <cleo@example.org>", "Dev Fictive <dev@example.com>"]


def buildbot_version():
    """The version of the Buildbot this harness runs (its venv's)."""
    out = subprocess.run([venv_bin("python"), "-c", "import buildbot; print(buildbot.version)"],
                         capture_output=True, text=True, check=True).stdout
    return out.strip()


def reexec_under(version):
    """Run this harness again under the Python of .venv-bb<version>, unless it already is."""
    venv = os.path.join(REPO, f".venv-bb{version}")
    python = os.path.join(venv, "bin", "python")
    if os.path.dirname(sys.executable) == os.path.join(venv, "bin"):
        return
    if not os.path.exists(python):
        raise SystemExit(f"harness: no {venv}; make it with "
                         f"BBREPORT_BUILDBOT={version} scripts/setup-venv.sh")
    argv = [a for a in sys.argv[1:]]
    os.execv(python, [python, os.path.abspath(__file__)] + argv)


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


def cases_fleet():
    """Builders of the `cases` fleet: `Case NN-name 3.x` for every real case (scenario AB: the
    case as it is, then inside a long run), and CASES_EXTRA on 3.14."""
    cases = sorted(f[:-4] for f in os.listdir(CASES_DIR) if f.endswith(".log"))
    builders = [{"name": f"Case {c} 3.x", "case": c, "worker": "cases-worker", "scenario": "AB",
                 "tags": ["3.x", "unstable"], "builddir": f"3.x.cases.{c}", "branch": "3.x",
                 "steps": ["test"]} for c in cases] + [dict(b) for b in CASES_EXTRA]
    for b in builders:
        b.update({"git_branch": GIT_BRANCH.get(b["branch"], b["branch"]), "retired": False})
        if b["scenario"] in ("K", "H"):
            b["no_output_timeout"] = CASES_NO_OUTPUT_TIMEOUT
    return builders


def build_fleet(fleet):
    if fleet == "cases":
        return cases_fleet()
    rows = load_table()
    builders = []
    for row in rows:
        mini = def_name(row) in MINI_DEFS and row["branch"] in MINI_BRANCHES
        if fleet == "mini" and not mini:
            continue
        if fleet in ("cache", "auth") and row["builder_name"] not in CACHE_SCENARIOS:
            continue
        if fleet == "states" and row["builder_name"] not in STATES_SCENARIOS:
            continue
        if (fleet == "push" and row["builder_name"] not in PUSH_SCENARIOS) or (
                fleet == "health" and row["builder_name"] not in HEALTH_SCENARIOS):
            continue
        if fleet == "mini" and row["branch"] == "3.10" and row["builder_name"] not in RETIRED:
            continue  # 3.10 exists only to hold a retired builder
        name = row["builder_name"]
        if fleet == "auth":
            scenario = ""
        elif fleet == "cache":
            scenario = CACHE_SCENARIOS[name]
        elif fleet == "states":
            scenario = STATES_SCENARIOS[name]
        elif fleet == "push":
            scenario = PUSH_SCENARIOS[name]
        elif fleet == "health":
            scenario = HEALTH_SCENARIOS[name]
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
    if fleet == "states":
        builders += [dict(b, git_branch=GIT_BRANCH.get(b["branch"], b["branch"]), retired=False)
                     for b in STATES_EXTRA]
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
    fields = {}
    if git_branch.startswith("refs/pull/"):
        # As Buildbot's GitHub hook records a pull request's base branch (`pr` reads it).
        fields["properties"] = json.dumps({"basename": "main"})
    data = urllib.parse.urlencode({
        **fields,
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
        "tree_stable_timer": {GIT_BRANCH.get(b, b): t for b, t in (
            PUSH_TREE_STABLE_TIMER if fleet == "push" else TREE_STABLE_TIMER).items()},
    }
    if fleet == "auth":
        config["auth"] = AUTH
    if fleet == "states":
        config["expire_minutes"] = STATES_EXPIRE_MINUTES
        config["janitor_log_horizon"] = STATES_LOG_HORIZON
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
            extra = PUSH_EXTRA_COMMITS if fleet == "push" else EXTRA_COMMITS
            for label in extra.get((branch, rnd), []):
                post_change(base, branch, git_branch, rnd, label)
            post_change(base, branch, git_branch, rnd)
        wait_for_round(base, built, rnd, history=history)
        log(f"round {rnd}: {sum(len(b['scenario']) >= rnd for b in built)} builds done")

    states_info = None
    if fleet == "states":
        master_dir, states_info = states(state, master_dir, base, built, pb_port)

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
        "buildbot": buildbot_version(),
        "history": history,
        "commits": COMMITS,
        "states": states_info,
        "builders": [{
            "name": b["name"], "builderid": b["id"], "branch": b["branch"], "tags": b["tags"],
            "worker": b["worker"], "scenario": b["scenario"], "retired": b["retired"],
            "worker_connected": b["worker"] in connected, "case": b.get("case"),
        } for b in builders],
    }
    write_json(os.path.join(state, "manifest.json"), manifest)
    print(base)


def states(state, master_dir, base, built, pb_port):
    """Put the master into what a long-lived one holds (real-fleet-quirks.md), through process
    control and the REST control API only: kill it (SIGKILL) while build 2 of the first builder
    runs, bring it back from another directory (Buildbot names a master `host:basedir`, so it
    comes back as a new master, as after a move to a new host), force build 3 of every builder
    on it (the third's fails), kill the third's worker host during its build 4 (RETRY) and
    stop the re-run of that build request (build 5: CANCELLED), pause the second builder's
    worker with a reason, and wait until the dead master's `last_active` lags the new one's.
    Returns the new master directory and what was done."""
    by_name = {b["name"]: b for b in built}
    hung, other, retried_on = (by_name[n] for n in STATES_SCENARIOS)
    pid = int(open(os.path.join(master_dir, "twistd.pid")).read().strip())
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.1)
    moved = os.path.join(state, "master-moved")
    os.rename(master_dir, moved)
    os.remove(os.path.join(moved, "twistd.pid"))
    # buildbot.tac names its basedir: point it at the new place (as a copy to a new host would).
    tac = os.path.join(moved, "buildbot.tac")
    text = open(tac).read().replace(repr(master_dir), repr(moved))
    with open(tac, "w") as f:
        f.write(text)
    start_master(moved)
    wait_connected(base, [hung["worker"], other["worker"], retried_on["worker"]])
    for b in (hung, other, retried_on):
        rpc(base, "forceschedulers/force", "force", {"builderid": str(b["id"])})
    wait_for_round(base, built, 3)
    # RETRY: the worker host dies mid-build (the worker and its build's processes killed), and
    # comes back; the master re-runs the build request as build 5. CANCELLED: build 5 stopped.
    rpc(base, "forceschedulers/force", "force", {"builderid": str(retried_on["id"])})
    retried = wait_running(base, retried_on["id"], 4)
    # Mid-build, not while the master pings the worker at its start: Buildbot 4.3 leaves a build
    # whose worker vanishes during that ping at "pinging worker" for good.
    wait_step_running(base, retried, "test")
    worker_dir = os.path.join(state, "workers", retried_on["worker"])
    kill_tree(int(open(os.path.join(worker_dir, "twistd.pid")).read().strip()))
    os.remove(os.path.join(worker_dir, "twistd.pid"))
    wait_finished(base, retried)
    subprocess.run([venv_bin("buildbot-worker"), "start", worker_dir], check=True,
                   stdout=subprocess.DEVNULL)
    rerun = wait_running(base, retried_on["id"], 5)
    wait_step_running(base, rerun, "test")
    rpc(base, f"builds/{rerun}", "stop", {"reason": "stopped by the harness"})
    wait_finished(base, rerun)
    workers = {w["name"]: w["workerid"] for w in api(base, "workers")["workers"]}
    rpc(base, f"workers/{workers[other['worker']]}", "pause", {"reason": PAUSE_REASON})
    deadline = time.time() + 600
    while time.time() < deadline:
        masters = api(base, "masters")["masters"]
        times = [m["last_active"] for m in masters if m["last_active"]]
        if len(masters) == 2 and max(times) - min(times) > MASTER_SILENT_AFTER:
            break
        time.sleep(5)
    else:
        raise SystemExit("harness: the killed master's row never fell silent")
    # The janitor, forced: every log older than its horizon loses its content (type `d`).
    janitor = next(b for b in api(base, "builders")["builders"] if b["name"] == "__Janitor")
    rpc(base, "forceschedulers/__Janitor_force", "force", {"builderid": str(janitor["builderid"])})
    wait_finished(base, wait_running(base, janitor["builderid"], 1))
    paused = [w for w in api(base, "workers")["workers"] if w["paused"]]
    if [w["name"] for w in paused] != [other["worker"]]:
        raise SystemExit(f"harness: expected {other['worker']} paused, got {paused}")
    log("states: master killed mid-build and restarted as another master; a worker paused")
    return moved, {
        "stale": {"builder": hung["name"], "number": 2},
        "newer_finished": {"builder": hung["name"], "number": 3},
        "paused": {"builder": other["name"], "worker": other["worker"], "reason": PAUSE_REASON},
        "failed": {"builder": retried_on["name"], "number": 3},
        "logs_deleted_before": int(time.time()) - STATES_LOG_HORIZON,
        "untagged": STATES_EXTRA[0]["name"],
        "retried": {"builder": retried_on["name"], "number": 4},
        "cancelled_rerun": {"builder": retried_on["name"], "number": 5},
    }


def wait_running(base, builderid, number, timeout=300):
    """The build id of build `number` of the builder, once it has started."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        builds = api(base, f"builds?builderid__eq={builderid}&number__eq={number}")["builds"]
        if builds:
            return builds[0]["buildid"]
        time.sleep(0.5)
    raise SystemExit(f"harness: build {number} of builder {builderid} never started")


def wait_step_running(base, buildid, name, timeout=300):
    """Wait until the build's step `name` has started (and not finished)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        steps = api(base, f"builds/{buildid}/steps")["steps"]
        if any(s["name"] == name and s["started_at"] and not s["complete"] for s in steps):
            return
        time.sleep(0.5)
    raise SystemExit(f"harness: build {buildid} never ran its {name} step")


def wait_finished(base, buildid, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if api(base, f"builds/{buildid}")["builds"][0]["complete"]:
            return
        time.sleep(0.5)
    raise SystemExit(f"harness: build {buildid} never finished")


def kill_tree(pid):
    """SIGKILL a process and every process under it: a host that dies takes them all."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for child in children.split():
        kill_tree(int(child))
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def rpc(base, path, method, params):
    """A REST control call (JSON-RPC 2.0 POST), as the web UI makes it."""
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}).encode()
    req = urllib.request.Request(base + "api/v2/" + path, data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with OPENER.open(req, timeout=30) as r:
        answer = json.load(r)
    if answer.get("error"):
        raise SystemExit(f"harness: {method} on {path}: {answer['error']}")
    return answer


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
    p.add_argument("--fleet", choices=["mini", "full", "cache", "auth", "cases", "states", "push", "health"],
                   default="mini")
    p.add_argument("--history", type=int, default=0, metavar="N",
                   help="write N synthetic finished builds per builder first (history.py)")
    p.add_argument("--past", choices=sorted(PAST_BUILDS),
                   help="before those, a history of that master's size (big_history.py)")
    p.add_argument("--buildbot", metavar="VERSION",
                   help="run this Buildbot version from .venv-bb<VERSION> (e.g. 3.11.9)")
    args = p.parse_args()
    if args.buildbot:
        reexec_under(args.buildbot)
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
