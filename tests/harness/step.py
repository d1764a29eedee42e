"""Worker-side body of every harness build step.

Called by the master as `step.py STEP OUTCOME BUILDNUMBER REVISION [CASE]`. OUTCOME is the letter
the builder's scenario gives this build (see harness.py). The `test` step runs CPython's real
regrtest on the files in regrtests/, so its log is real regrtest output; on the `cases` fleet it
prints a real regrtest log instead (regrtest_logs.py): CASE, one of tests/fixtures/regrtest-cases/,
as it is (A) or inside a long passing run (B), the devguide's current `make buildbottest` shape
(G, real regrtest under the Makefile's command line), or a long run that hangs until Buildbot's
no-output timeout kills it (K).
"""
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import regrtest_logs  # noqa: E402

TESTS_FOR_OUTCOME = {
    "P": ["test_bbr_sample", "test_bbr_io"],
    "S": ["test_bbr_sample", "test_bbr_io"],  # a pass that compiles slowly (see SLOW_COMPILE)
    "F": ["test_bbr_sample", "test_bbr_broken", "test_bbr_io"],
    "W": ["test_bbr_sample", "test_bbr_flaky", "test_bbr_io"],
    "R": ["test_bbr_sample", "test_bbr_hang"],
    "T": ["test_bbr_sample", "test_bbr_hang"],  # with a 3 s --timeout: regrtest kills it
    "X": ["test_bbr_sample", "test_bbr_crash"],
    "D": ["test_bbr_sample", "test_bbr_diskfull"],
    "L": ["test_bbr_sample", "test_bbr_leak"],  # refleak hunting (-R) needs a debug build
    # The push fleet's pull request: test_bbr_broken as on the target branch, and one of its own.
    "Q": ["test_bbr_sample", "test_bbr_broken", "test_bbr_regress", "test_bbr_io"],
}

# How long an "S" build compiles: long enough for a test to see the build running.
SLOW_COMPILE = 8

# Debian's debug interpreter (python3.11-dbg, installed by scripts/setup-venv.sh): the only way
# to get regrtest's real "leaked [..] references" output, as CPython's refleak buildbots do.
DEBUG_PYTHON = "/usr/bin/python3.11-dbg"


def main():
    step, outcome, number, revision = sys.argv[1:5]
    case = sys.argv[5] if len(sys.argv) > 5 else ""
    if step == "git":
        # SetPropertyFromCommand stores stdout as got_revision, like the real checkout step.
        print(revision or "0" * 40)
        return 0
    if step == "configure":
        print("checking build system type... x86_64-pc-linux-gnu")
        print("checking for gcc... gcc")
        print("configure: creating ./config.status")
        return 0
    if step == "compile":
        if outcome == "C":
            print("gcc -c -O2 -Wall -o Objects/longobject.o Objects/longobject.c")
            print("Objects/longobject.c:1234:5: error: 'digit' undeclared (first use in this function)",
                  file=sys.stderr)
            print("make: *** [Makefile:3051: Objects/longobject.o] Error 1", file=sys.stderr)
            return 2
        print("gcc -c -O2 -Wall -o Objects/longobject.o Objects/longobject.c", flush=True)
        if outcome == "S":
            time.sleep(SLOW_COMPILE)
        print("gcc -o python Programs/python.o libpython3.16d.a -ldl -lm")
        return 0
    if step == "test" and outcome in regrtest_logs.OUTCOMES:
        return regrtest_logs.run(outcome, case, int(number))
    if step == "test":
        return run_regrtest(outcome, int(number))
    print(f"{step}: ok")
    return 0


def run_regrtest(outcome, number):
    testdir = os.path.join(os.getcwd(), "regrtests")
    shutil.rmtree(testdir, ignore_errors=True)
    shutil.copytree(os.path.join(HERE, "regrtests"), testdir)
    timeout = "3" if outcome == "T" else "1200"
    python, extra = sys.executable, ["--slow-ci"]
    if outcome == "L":
        if not os.path.exists(DEBUG_PYTHON):
            print(f"step.py: {DEBUG_PYTHON} is missing; run scripts/setup-venv.sh", file=sys.stderr)
            return 2
        # Debian's 3.11.2 regrtest predates --slow-ci; refleak buildbots spell their flags out.
        python, extra, timeout = DEBUG_PYTHON, ["-R", "3:3", "-u-cpu"], "2700"
    cmd = [python, "-m", "test", "--testdir", testdir, "--header", *extra,
           f"--timeout={timeout}", "-j1", f"--randseed={1000 + number}", *TESTS_FOR_OUTCOME[outcome]]
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
