"""A build history of buildbot.python.org's size, written straight into a stopped master's
SQLite database through Buildbot's own schema (the tables `buildbot.db.model` defines).

    big_history.py STATE_SQLITE FLEET_JSON [TOTAL]

The benchmark (scripts/bench.sh, `harness.py up --fleet full --history N --past python`) runs it
once the master has registered its builders and been stopped, before the synthetic history
(history.py) and the real builds: every build here is older than those. Writing 2.4 million
builds through Buildbot's Python DB API would take hours; plain inserts in one transaction take
about 4 minutes on this 2-core machine.

What python.org's master holds and this reproduces (issue 15):
- about 2.4 million builds (TOTAL, default 2,400,000), ids 1..TOTAL in start order;
- busy builders (40% of the 3.x and PR builders, by a hash of the name) with 6,000-16,000 builds;
  the others 400-2,100, scaled so the total is TOTAL;
- rarely-building builders (history.activity() == "rare": 10%), with 20-300 builds, all in the
  oldest 40% of the ids: their newest build is far below the master's newest id;
- never-built builders (activity "never": 3%): none, here or in history.py.
The ~90 builders that run real builds in the harness get none either: their build numbers stay
the ones their scenario letters are written for.

Each build has its build request (complete, with the build's result) and buildset (complete, one
per build, its sourcestamp one per branch), as a master records them; no steps, logs or
properties (the REST builds endpoint reads the builds table alone; bbreport only reads steps and
logs of the newest builds, which history.py writes).
"""
import hashlib
import heapq
import json
import random
import sqlite3
import sys
import time

from history import activity

SUCCESS, WARNINGS, FAILURE, EXCEPTION = 0, 1, 2, 4
STATE = {SUCCESS: "build successful", WARNINGS: "warnings test", FAILURE: "failed test",
         EXCEPTION: "exception test"}
# The history spans these epoch seconds (about four years before the harness's builds).
T0, T1 = 1_650_000_000, 1_650_000_000 + 4 * 365 * 86400


def bucket(name, salt):
    return int(hashlib.sha1(f"{salt}{name}".encode()).hexdigest()[:8], 16) % 100


def weights(builders):
    """Builds per builder name (before scaling), and whether its builds stop early (rare)."""
    out = {}
    for b in builders:
        kind = activity(b["name"])
        if b["scenario"] or kind == "never":
            continue
        rnd = random.Random(b["name"])
        if kind == "rare":
            out[b["name"]] = (rnd.randint(20, 300), True)
        elif b["branch"] in ("3.x", "PR") and bucket(b["name"], "busy") < 40:
            out[b["name"]] = (rnd.randint(6000, 16000), False)
        else:
            out[b["name"]] = (rnd.randint(400, 2100), False)
    return out


def plan(builders, total):
    """Per builder (name -> build count), the fixed ones (busy, rare) kept and the ordinary
    ones scaled so the counts sum to `total`."""
    w = weights(builders)
    fixed = sum(n for name, (n, rare) in w.items() if rare or n >= 6000)
    scalable = sum(n for name, (n, rare) in w.items() if not rare and n < 6000)
    scale = max(total - fixed, 0) / scalable if scalable else 0
    counts = {name: (n if rare or n >= 6000 else max(1, round(n * scale)), rare)
              for name, (n, rare) in w.items()}
    return counts


def starts(name, count, rare):
    """Start times of a builder's builds, ascending: evenly spread with jitter, over the whole
    span (or its oldest 40% for a rarely-building builder)."""
    rnd = random.Random("t" + name)
    end = T0 + (T1 - T0) * (0.4 if rare else 1.0)
    step = (end - T0) / count
    for i in range(count):
        yield (int(T0 + step * i + rnd.random() * step), name)


def result_of(name, number):
    r = random.Random(f"{name}#{number}").random()
    if r < 0.80:
        return SUCCESS
    if r < 0.88:
        return WARNINGS
    if r < 0.98:
        return FAILURE
    return EXCEPTION


def write(db_path, fleet_json, total):
    started = time.time()
    with open(fleet_json) as f:
        fleet = json.load(f)
    builders = fleet["builders"]
    counts = plan(builders, total)
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")  # 256 MiB
    builder_ids = {name: i for i, name in con.execute("SELECT id, name FROM builders")}
    worker_ids = {name: i for i, name in con.execute("SELECT id, name FROM workers")}
    masterid = con.execute("SELECT min(id) FROM masters").fetchone()[0]
    if con.execute("SELECT count(*) FROM builds").fetchone()[0]:
        sys.exit("big_history: the master already has builds; the past must come first")
    info = {b["name"]: b for b in builders}
    con.execute("BEGIN")
    sourcestamps = {}
    for git_branch in sorted({b["git_branch"] for b in builders}):
        cur = con.execute(
            "INSERT INTO sourcestamps (ss_hash, branch, revision, repository, codebase, project,"
            " created_at) VALUES (?, ?, ?, '', '', '', ?)",
            (hashlib.sha1(f"past {git_branch}".encode()).hexdigest(), git_branch,
             hashlib.sha1(f"past rev {git_branch}".encode()).hexdigest(), T0))
        sourcestamps[git_branch] = cur.lastrowid
    numbers = dict.fromkeys(counts, 0)
    merged = heapq.merge(*(starts(name, n, rare) for name, (n, rare) in counts.items()))

    def rows():
        for buildid, (t, name) in enumerate(merged, start=1):
            numbers[name] += 1
            number = numbers[name]
            res = result_of(name, number)
            yield (buildid, number, builder_ids[name], worker_ids.get(info[name]["worker"]),
                   t, t + 1800, res, info[name]["git_branch"])

    batch = []
    n = 0
    for row in rows():
        batch.append(row)
        if len(batch) == 50_000:
            insert(con, batch, masterid, sourcestamps)
            n += len(batch)
            batch = []
    insert(con, batch, masterid, sourcestamps)
    n += len(batch)
    con.execute("COMMIT")
    con.close()
    busiest = max((c for c, _ in counts.values()), default=0)
    print(f"{n} builds on {len(counts)} builders (busiest {busiest}) in "
          f"{time.time() - started:.0f}s")


def insert(con, batch, masterid, sourcestamps):
    con.executemany(
        "INSERT INTO buildsets (id, external_idstring, reason, submitted_at, complete,"
        " complete_at, results) VALUES (?, NULL, 'past', ?, 1, ?, ?)",
        [(r[0], r[4], r[5], r[6]) for r in batch])
    con.executemany(
        "INSERT INTO buildset_sourcestamps (buildsetid, sourcestampid) VALUES (?, ?)",
        [(r[0], sourcestamps[r[7]]) for r in batch])
    con.executemany(
        "INSERT INTO buildrequests (id, buildsetid, builderid, priority, complete, results,"
        " submitted_at, complete_at, waited_for) VALUES (?, ?, ?, 0, 1, ?, ?, ?, 0)",
        [(r[0], r[0], r[2], r[6], r[4], r[5]) for r in batch])
    con.executemany(
        "INSERT INTO builds (id, number, builderid, buildrequestid, workerid, masterid,"
        " started_at, complete_at, locks_duration_s, state_string, results)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        [(r[0], r[1], r[2], r[0], r[3], masterid, r[4], r[5], STATE[r[6]], r[6])
         for r in batch])


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 2_400_000)
