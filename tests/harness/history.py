"""Synthetic build history for the benchmark's full fleet, written through Buildbot's own DB API.

Running 10 real builds on each of 1036 builders would take hours on a 2-core machine, so the
benchmark master (harness.py up --fleet full --history N) starts this service: it writes N
finished builds per builder the way a master records them (a buildset and build request per
round, claimed and completed; builds with a worker, `got_revision`, results and state string;
failed builds get git/compile/test steps whose test log is a real regrtest failure captured from
the harness, tests/fixtures/logs/fail.txt). It writes `history.done` in the master directory
when finished, which harness.py waits for.

Outcomes are a fixed function of the builder name, so every benchmark run reads the same fleet:
most builders pass, some are flaky, some fail persistently, a few hit exceptions. So is how often
a builder builds (`activity`), as on python.org: 3% of the builders never built, 10% build rarely
(here: only in the first round, so their newest build is far below the master's newest id); the
builders that run real builds in the harness build every round.
"""
import hashlib
import os
import time

from twisted.internet import defer
from buildbot.process.results import EXCEPTION, FAILURE, SUCCESS, WARNINGS
from buildbot.util import service

# Share of builders (per 100, by a hash of the name) in each pattern of the newest builds.
PERSISTENT, FLAKY, EXCEPTIONS = 8, 12, 3
STATE = {SUCCESS: "build successful", WARNINGS: "warnings test", FAILURE: "failed test",
         EXCEPTION: "exception test"}


# Share of builders (per 100, by another hash of the name) that never built, and that build rarely.
NEVER, RARE = 3, 10


def activity(name):
    """"never", "rare" or "regular": how often the builder builds (big_history.py uses it too)."""
    bucket = int(hashlib.sha1(f"activity {name}".encode()).hexdigest()[:8], 16) % 100
    if bucket < NEVER:
        return "never"
    return "rare" if bucket < NEVER + RARE else "regular"


def builds_in_round(builder, round_no):
    if builder.get("scenario"):
        return True
    kind = activity(builder["name"])
    return kind == "regular" or (kind == "rare" and round_no == 1)


def outcome(name, round_no, rounds):
    bucket = int(hashlib.sha1(name.encode()).hexdigest()[:8], 16) % 100
    newest = rounds - round_no  # 0 = the newest build
    if bucket < PERSISTENT:
        return FAILURE if newest < 3 else SUCCESS
    if bucket < PERSISTENT + FLAKY:
        return WARNINGS if round_no % 3 == 0 else SUCCESS
    if bucket < PERSISTENT + FLAKY + EXCEPTIONS:
        return EXCEPTION if newest == 1 else SUCCESS
    return SUCCESS


class SyntheticHistory(service.BuildbotService):
    name = "synthetic-history"

    def checkConfig(self, builders, rounds, log_path, basedir):
        pass

    def reconfigService(self, builders, rounds, log_path, basedir):
        self.builders, self.rounds = builders, rounds
        self.log_path, self.basedir = log_path, basedir

    def startService(self):
        super().startService()
        done = os.path.join(self.basedir, "history.done")
        if not os.path.exists(done):
            # After the master has registered its builders (findBuilderId is idempotent anyway).
            self.master.reactor.callLater(1, self._run, done)

    @defer.inlineCallbacks
    def _run(self, done):
        started = time.time()
        try:
            yield self.populate()
            with open(done, "w") as f:
                f.write(f"{self.written} builds in {time.time() - started:.0f}s\n")
        except Exception as e:  # the harness waits for the file: say why it will never come
            with open(done + ".failed", "w") as f:
                f.write(repr(e))
            raise

    @defer.inlineCallbacks
    def populate(self):
        db = self.master.db
        with open(self.log_path) as f:
            failing_log = "".join("o" + line for line in f.read().splitlines(keepends=True))
        ids = {}
        self.written = 0
        for b in self.builders:
            builderid = yield self.master.data.updates.findBuilderId(b["name"])
            workerid = yield db.workers.findWorkerId(b["worker"])
            ids[b["name"]] = (builderid, workerid)
        by_branch = {}
        for b in self.builders:
            by_branch.setdefault(b["git_branch"], []).append(b)
        for rnd in range(1, self.rounds + 1):
            for git_branch, all_builders in sorted(by_branch.items()):
                builders = [b for b in all_builders if builds_in_round(b, rnd)]
                if not builders:
                    continue
                revision = hashlib.sha1(f"history {git_branch} {rnd}".encode()).hexdigest()
                bsid, brids = yield db.buildsets.addBuildset(
                    sourcestamps=[{"branch": git_branch, "revision": revision, "repository": "",
                                   "codebase": "", "project": ""}],
                    reason="synthetic history", properties={},
                    builderids=[ids[b["name"]][0] for b in builders], waited_for=False)
                yield db.buildrequests.claimBuildRequests(list(brids.values()))
                yield defer.gatherResults([
                    self.add_build(b, ids[b["name"]], brids[ids[b["name"]][0]], revision, rnd,
                                   failing_log)
                    for b in builders], consumeErrors=True)
                yield db.buildrequests.completeBuildRequests(list(brids.values()), SUCCESS)
                self.written += len(builders)

    @defer.inlineCallbacks
    def add_build(self, b, ids, brid, revision, rnd, failing_log):
        db = self.master.db
        builderid, workerid = ids
        results = outcome(b["name"], rnd, self.rounds)
        buildid, _number = yield db.builds.addBuild(
            builderid=builderid, buildrequestid=brid, workerid=workerid,
            masterid=self.master.masterid, state_string="building")
        yield db.builds.setBuildProperty(buildid, "got_revision", revision, "Git")
        if results == FAILURE:
            for name, step_results in (("git", SUCCESS), ("compile", SUCCESS), ("test", FAILURE)):
                stepid, _n, _name = yield db.steps.addStep(buildid, name, name)
                yield db.steps.startStep(stepid, int(time.time()), True)
                if name == "test":
                    logid = yield db.logs.addLog(stepid, "stdio", "stdio", "s")
                    yield defer.ensureDeferred(db.logs.appendLog(logid, failing_log))
                    yield db.logs.finishLog(logid)
                yield db.steps.finishStep(stepid, step_results, False)
        yield db.builds.setBuildStateString(buildid, STATE[results])
        yield db.builds.finishBuild(buildid, results)
