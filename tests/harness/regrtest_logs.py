"""The `test` step of the `cases` fleet: real regrtest logs, printed by a real Buildbot build.

Outcome letters (one per build, from the builder's scenario; see harness.py):
    A  the builder's case (tests/fixtures/regrtest-cases/CASE.log), printed as it is
    B  the same case inside a long passing run: LONG_BEFORE lines before it and LONG_AFTER after
       it, so the default head and tail windows of `bbreport build` (100 and 400 lines,
       src/model/build.rs) miss it. Passing progress lines of the main run where the case sits
       in one; where it starts its own run, or ends in a re-run phase, a final result or a
       hang, what else can surround it there (LONG_RUN_SHAPE)
    G  the devguide's current shape: `make buildbottest`'s command line (`./python -E  -m test
       --slow-ci --timeout=1200 -j2 … -j4`), then CPython's real regrtest (the venv's) running
       several files with 4 worker processes, one of which fails and fails again in the re-run
       phase (`Re-running 1 failed tests in verbose mode` … `Run 1 test in parallel using 1
       worker process`)
    K  a long run whose failures are only in its middle, that then hangs: thousands of passing
       progress lines, two failures with their tracebacks, the `[N/M/F]` counters counting them
       for another 1,500 lines, then silence until Buildbot's no-output timeout (the step's
       `timeout=`, master.cfg) kills it and says so (`command timed out: N seconds without
       output`)

A and B exit with the status the run that printed the case had (CASE_EXIT), so the build's result
is what such a log means: FAILURE for a failed, crashed, hung or leaking run (regrtest's 2, make's
2 for an ENV CHANGED run as case 01 shows), WARNINGS for `FAILURE then SUCCESS` (exit code 5, the
harness's decodeRC, as the W scenario of the mini fleet).
"""
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(os.path.dirname(HERE), "fixtures", "regrtest-cases")
OUTCOMES = {"A", "B", "G", "K", "H"}

# Exit status per case (by its number); every other case exits 2. Every case comes from a run
# that failed; 02 is regrtest's `FAILURE then SUCCESS` (flaky: failed, then passed on re-run).
CASE_EXIT = {"02": 5}
FAILURE_EXIT = 2

LONG_BEFORE = 3000
LONG_AFTER = 600

# `make buildbottest` on a Unix buildbot, as CPython's Makefile echoes it (TESTPYTHONOPTS empty,
# hence the two spaces) with the worker's TESTOPTS after the Makefile's own -j2.
MAKE_BUILDBOTTEST = ("./python -E  -m test --slow-ci --timeout=1200 -j2 -u-cpu "
                     "--junit-xml test-results.xml -j4")
DEVGUIDE_TESTS = ["test_bbr_sample", "test_bbr_io", "test_bbr_text", "test_bbr_numbers",
                  "test_bbr_broken"]

# The killed run: where its two failures are, how many passing lines follow, what hangs.
# Long enough (about 12,000 lines) that bbreport searches its middle rather than read it whole.
KILLED_TOTAL = 12000
KILLED_FIRST_FAILURE = 2400
KILLED_SECOND_FAILURE = 2460
KILLED_HANG = "test.test_multiprocessing_spawn.test_processes"
# The huge killed log (scenario H, for the benchmark of the search and its live test): about
# 150,000 lines, 10 MB, three failures far apart.
HUGE_TOTAL = 150000
HUGE_FAILURES = (30000, 30900, 77000)


def run(outcome, case, number):
    out = sys.stdout.buffer
    if outcome in ("A", "B"):
        with open(os.path.join(CASES_DIR, case + ".log"), "rb") as f:
            text = f.read()
        if outcome == "A":
            out.write(text)
        else:
            out.write(long_run(case, text))
        out.flush()
        return CASE_EXIT.get(case.split("-")[0], FAILURE_EXIT)
    if outcome == "G":
        return devguide_run()
    if outcome == "H":
        return killed_run(number, HUGE_TOTAL, HUGE_FAILURES)
    return killed_run(number)


# ---- Passing progress lines, as regrtest 3.13+ prints them in a -jN run. ----

def test_names():
    """The names of CPython's own test files (the venv interpreter's test package): modules as
    `test_x`, the files of test packages as `test.test_pkg.test_y`, as a full run prints them."""
    import test
    root = os.path.dirname(test.__file__)
    names = []
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if not entry.startswith("test_"):
            continue
        if entry.endswith(".py"):
            names.append(entry[:-3])
        elif os.path.isdir(path):
            subs = sorted(f[:-3] for f in os.listdir(path)
                          if f.startswith("test_") and f.endswith(".py"))
            names.extend(f"test.{entry}.{s}" for s in subs) if subs else names.append(entry)
    return names


class Clock:
    """regrtest's line prefix: elapsed time, then the load average."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.seconds = 0

    def prefix(self):
        self.seconds += self.rng.choice((0, 0, 1, 1, 2, 3))
        h, rest = divmod(self.seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{h}:{m:02}:{s:02} load avg: {self.rng.uniform(0.5, 9.5):.2f}"


def progress(clock, index, total, fails, name, suffix=""):
    """`[ N/M] test passed`, `[N/M/F]` once F tests have failed; sometimes a duration."""
    counter = f"{index:{len(str(total))}}/{total}" + (f"/{fails}" if fails else "")
    duration = f" ({clock.rng.uniform(30, 200):.1f} sec)" if clock.rng.random() < 0.08 else ""
    return f"{clock.prefix()} [{counter}] {name} passed{duration}{suffix}\n"


def passing_names(count, exclude, seed):
    """`count` names of real tests in a random order (repeated when the pool is short), none
    named anywhere in `exclude` (the case's text): a test runs once in a real run."""
    pool = [n for n in test_names() if n.rsplit(".", 1)[-1] not in exclude]
    rng = random.Random(seed)
    names = []
    while len(names) < count:
        rng.shuffle(pool)
        names.extend(pool)
    return names[:count]


COUNTER = re.compile(r"\[\s*(\d+)/\s*(\d+)(?:/(\d+))?\]")


def failures_so_far(text):
    """The failure count of the case's last progress counter: `[N/M/F]` → F, `[N/F]` (no total,
    F < N) → F, `[N/M]` → 0."""
    fails = 0
    for m in COUNTER.finditer(text):
        index, second, third = m.groups()
        if third is not None:
            fails = int(third)
        elif int(second) < int(index):
            fails = int(second)
        else:
            fails = 0
    return fails


def expected(case):
    import json
    with open(os.path.join(CASES_DIR, case + ".json")) as f:
        return json.load(f)["expected"]


def still_running(case):
    """The test the case leaves running (its `expected.last_running`): in the long run, the
    progress lines of the other workers after it name it in regrtest's `-- running` suffix."""
    return expected(case).get("last_running")


def verbose_module(case):
    """The test whose verbose output follows the case: the one running, re-run or failing."""
    e = expected(case)
    for names in ([e.get("last_running")], e.get("rerun"), e.get("failed"), e.get("env_changed")):
        if names and names[0]:
            return names[0]
    return "test_sys"


# Where each case sits in a run decides what can surround it, as (before, after):
#   progress   passing progress lines of the main run (`[N/M] test_x passed`; after the case, its
#              failure count in the counter and the test it left running in `-- running`)
#   build      compiler output: what precedes a case that starts its own run (its command line,
#              seed or `Run N tests` header) in a build's log, and what follows a PGO profile run
#   verbose    unittest's verbose lines (`test_x (test.test_y.Tests.test_x) ... ok`): what a
#              verbose run or regrtest's verbose re-run prints, and what follows a final summary
#              here (no regrtest line may come after a re-run phase or a final result)
#   heartbeat  regrtest's `running (1): test_x (N min)` every 30 s: a re-run that hangs
#   logcat     Android's logcat lines, interleaved with a test that is still running
LONG_RUN_SHAPE = {
    "01": ("progress", "verbose"),     # final summary, then Buildbot's trailer
    "02": ("progress", "verbose"),     # re-run phase, then the final result
    "04": ("progress", "heartbeat"),   # the re-run hangs
    "06": ("progress", "progress"),    # a -jN worker times out
    "08": ("progress", "verbose"),     # verbose re-run, crashed
    "11": ("progress", "progress"),    # refleak lines of the main run
    "12": ("progress", "verbose"),     # end of a verbose re-run
    "14": ("build", "logcat"),         # the testbed starts the run; test_argparse still running
    "15": ("build", "build"),          # the PGO profile task, then make goes on
    "16": ("build", "verbose"),        # a local -j8 run starts; -W shows the failure's output
    "17": ("progress", "verbose"),     # re-run phase, failed again
    "18": ("build", "verbose"),        # a verbose run of test_os starts and hangs
    "20": ("progress", "progress"),    # -jN progress with running lists
    "22": ("progress", "progress"),    # a -jN worker crashes
    "23": ("build", "verbose"),        # a verbose run's output, no regrtest line before it
    "24": ("build", "verbose"),        # a -R 3:3 run starts
    "26": ("build", "build"),          # the iOS testbed fails before any test
    "27": ("progress", "progress"),    # env changed at the end of the main run
}


def build_output(count, seed):
    """`count` lines of a CPython build, as make prints them."""
    rng = random.Random(seed)
    dirs = ["Objects", "Python", "Modules", "Parser", "Modules/_io", "Modules/_decimal"]
    return [f"gcc -pthread -c -fno-strict-overflow -Wsign-compare -DNDEBUG -g -O3 -Wall "
            f"-std=c11 -I./Include/internal -I. -I./Include -DPy_BUILD_CORE "
            f"-o {d}/{name}.o {d}/{name}.c\n"
            for d, name in ((rng.choice(dirs), f"module{rng.randrange(400)}")
                            for _ in range(count))]


def verbose_output(count, module, seed):
    """`count` unittest verbose lines of passing test methods of `module`."""
    rng = random.Random(seed)
    module = module if module.startswith("test.") else f"test.{module}"
    return [f"test_case_{i} ({module}.{rng.choice(['Tests', 'ApiTests', 'CTests'])}.test_case_{i})"
            f" ... ok\n" for i in range(count)]


def heartbeats(count, test):
    return [f"{4 + i // 120}:{(i // 2) % 60:02}:{30 * (i % 2):02} load avg: 0.02 running (1): "
            f"{test} ({1 + i // 2} min)\n" for i in range(count)]


def logcat(count, seed):
    rng = random.Random(seed)
    return [f"W/.python.testbed: type=1400 audit(0.0:{7000 + i}): avc:  denied  {{ ioctl }} for  "
            f"path=\"pipe:[{rng.randrange(40000, 60000)}]\" dev=\"pipefs\" scontext=u:r:untrusted_app:s0\n"
            for i in range(count)]


def long_run(case, text):
    """The case between LONG_BEFORE and LONG_AFTER lines of what can surround it in a long run
    (LONG_RUN_SHAPE), ended by a newline when its paste stops mid-line."""
    decoded = text.decode("utf-8", "replace")
    before_kind, after_kind = LONG_RUN_SHAPE[case.split("-")[0]]
    total = LONG_BEFORE + LONG_AFTER
    names = passing_names(total, decoded, case)
    clock = Clock(case)
    running = still_running(case)
    if before_kind == "progress":
        before = [progress(clock, i + 1, total, 0, names[i]) for i in range(LONG_BEFORE)]
    else:
        before = build_output(LONG_BEFORE, case)
    if after_kind == "progress":
        fails = failures_so_far(decoded)
        after = []
        for i in range(LONG_BEFORE, total):
            suffix = ""
            if running:
                suffix = f" -- running (1): {running} ({3 + (i - LONG_BEFORE) // 30} min {i % 60} sec)"
            after.append(progress(clock, i + 1, total, fails, names[i], suffix))
    elif after_kind == "heartbeat":
        after = heartbeats(LONG_AFTER, running)
    elif after_kind == "logcat":
        after = logcat(LONG_AFTER, case)
    elif after_kind == "verbose":
        after = verbose_output(LONG_AFTER, verbose_module(case), case)
    else:
        after = build_output(LONG_AFTER, case + "after")
    body = "".join(before).encode() + text
    if not text.endswith(b"\n"):
        body += b"\n"
    return body + "".join(after).encode()


# ---- G: the devguide's current shape, from the real regrtest. ----

def devguide_run():
    testdir = os.path.join(os.getcwd(), "regrtests-devguide")
    shutil.rmtree(testdir, ignore_errors=True)
    os.makedirs(testdir)
    for name in DEVGUIDE_TESTS:
        shutil.copy(os.path.join(HERE, "regrtests", name + ".py"), testdir)
    # What make prints before it runs the command; regrtest then runs every test of --testdir
    # (no names, as on a buildbot). --dont-add-python-opts: the command is already the one the
    # Makefile ran, no `+ …` re-exec line (the case this shape is about).
    print(MAKE_BUILDBOTTEST, flush=True)
    cmd = [sys.executable, "-E", "-m", "test", "--testdir", testdir, "--slow-ci",
           "--timeout=1200", "-j2", "-u-cpu", "-j4", "--dont-add-python-opts"]
    return subprocess.call(cmd)


# ---- K: a long run, failures in its middle, killed by Buildbot's no-output timeout. ----

KILLED_HEADER = """\
./python -E  -m test --slow-ci --timeout=1200 -j2 -u-cpu --junit-xml test-results.xml -j8
+ ./python -u -W default -bb -E -m test --slow-ci --timeout=1200 -j2 -u-cpu --junit-xml test-results.xml -j8 --dont-add-python-opts
== CPython 3.16.0a0 (heads/main:5f2a8c1e9b4, Nov 20 2026, 03:12:45) [GCC 15.2.1 20251111 (Red Hat 15.2.1-4)]
== Linux-6.17.8-300.fc43.x86_64-x86_64-with-glibc2.42 little-endian
== Python build: debug
== cwd: /home/buildbot/buildarea/3.x.worker-fedora-x86_64/build/build/test_python_worker_814217\u00e6
== CPU count: 8
== encodings: locale=UTF-8 FS=utf-8
== resources: all,-cpu

Using random seed: {seed}
0:00:00 load avg: 1.21 Run {total} tests in parallel using 8 worker processes (timeout: 20 min, worker timeout: 25 min)
"""

KILLED_FAILURES = [
    ("test_ssl", "failed (1 error)", """\
test_tls1_3_post_handshake_auth (test.test_ssl.TestPostHandshakeAuth.test_tls1_3_post_handshake_auth) ... ERROR

======================================================================
ERROR: test_tls1_3_post_handshake_auth (test.test_ssl.TestPostHandshakeAuth.test_tls1_3_post_handshake_auth)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/buildbot/buildarea/3.x.worker-fedora-x86_64/build/Lib/test/test_ssl.py", line 4571, in test_tls1_3_post_handshake_auth
    s.write(b'HASCERT')
    ~~~~~~~^^^^^^^^^^^^
  File "/home/buildbot/buildarea/3.x.worker-fedora-x86_64/build/Lib/ssl.py", line 1176, in write
    return self._sslobj.write(data)
           ~~~~~~~~~~~~~~~~~~^^^^^^
ssl.SSLError: [SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required (_ssl.c:2655)

----------------------------------------------------------------------
Ran 183 tests in 12.404s

FAILED (errors=1, skipped=11)
test test_ssl failed
"""),
    ("test.test_asyncio.test_subprocess", "failed (1 failure)", """\
test_cancel_post_init (test.test_asyncio.test_subprocess.SubprocessThreadedWatcherTests.test_cancel_post_init) ... FAIL

======================================================================
FAIL: test_cancel_post_init (test.test_asyncio.test_subprocess.SubprocessThreadedWatcherTests.test_cancel_post_init)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/buildbot/buildarea/3.x.worker-fedora-x86_64/build/Lib/test/test_asyncio/test_subprocess.py", line 594, in test_cancel_post_init
    self.assertEqual(transport.get_returncode(), None)
    ~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
AssertionError: -9 != None

----------------------------------------------------------------------
Ran 92 tests in 8.113s

FAILED (failures=1)
test test.test_asyncio.test_subprocess failed
"""),
    ("test_socket", "failed (1 error)", """\
testCreateConnectionClose (test.test_socket.NetworkConnectionAttributesTest.testCreateConnectionClose) ... ERROR

======================================================================
ERROR: testCreateConnectionClose (test.test_socket.NetworkConnectionAttributesTest.testCreateConnectionClose)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/buildbot/buildarea/3.x.worker-fedora-x86_64/build/Lib/test/test_socket.py", line 5468, in testCreateConnectionClose
    self.cli = socket.create_connection((HOST, self.port), timeout=support.LOOPBACK_TIMEOUT)
ConnectionRefusedError: [Errno 111] Connection refused

----------------------------------------------------------------------
Ran 612 tests in 31.760s

FAILED (errors=1, skipped=118)
test test_socket failed
"""),
]


def killed_seed(number):
    return 2_849_000_000 + number


def killed_run(number, total=KILLED_TOTAL, failures=(KILLED_FIRST_FAILURE, KILLED_SECOND_FAILURE)):
    """A -j8 run killed by Buildbot's no-output timeout: `total` progress lines, the failures of
    KILLED_FAILURES (in turn) at the indexes `failures`, the last test hanging."""
    out = sys.stdout.buffer
    seed = killed_seed(number)
    failing = {name for name, _, _ in KILLED_FAILURES} | {KILLED_HANG}
    names = passing_names(total, " ".join(failing), seed)
    clock = Clock(seed)
    lines = [KILLED_HEADER.replace("{seed}", str(seed)).replace("{total}", str(total))]
    fails = 0
    at = {index: k % len(KILLED_FAILURES) for k, index in enumerate(failures)}
    for index in range(1, total):  # the last one hangs
        if index in at:
            name, how, output = KILLED_FAILURES[at[index]]
            fails += 1
            counter = f"{index}/{total}/{fails}"
            lines.append(f"{clock.prefix()} [{counter}] {name} {how} ({clock.rng.uniform(9, 40):.1f} sec)\n")
            lines.append(output)
            continue
        suffix = ""
        if index >= total - 5:
            suffix = f" -- running (1): {KILLED_HANG} ({index - total + 35} sec)"
        lines.append(progress(clock, index, total, fails, names[index], suffix))
    # regrtest's 30-second heartbeat while the last worker is busy, then nothing at all.
    lines.append(f"{clock.prefix()} running (1): {KILLED_HANG} (1 min 2 sec)\n")
    out.write("".join(lines).encode())
    out.flush()
    time.sleep(3600)  # Buildbot kills the step long before
    return FAILURE_EXIT
