//! A small in-memory master for histories neither the shipped snapshot nor the harness's real
//! master has (a test that passed again, a worker gone with its builder failing, a test step
//! that ended in an exception): builders, workers, builds, steps, logs and log lines, answered
//! with Buildbot's semantics for the queries bbreport makes (IN-lists, `order`, `buildid__lt`,
//! `buildid__gt`, `limit`). Test logs are real regrtest output from `tests/fixtures/logs`.

use super::stub::{Reply, json, serve};

/// One builder of branch 3.x on its own worker.
#[derive(Debug, Clone)]
pub struct Builder {
    pub id: u32,
    pub name: String,
    pub tags: Vec<String>,
    pub connected: bool,
    /// Its worker is paused (connected, taking no build), with this `pause_reason` (`None`:
    /// an older master without the field).
    pub paused: Option<Option<String>>,
}

impl Builder {
    /// A stable tier-1 builder of 3.x, its worker connected.
    pub fn new(id: u32, name: &str) -> Builder {
        Builder {
            id,
            name: name.into(),
            tags: vec!["3.x".into(), "stable".into(), "tier-1".into()],
            connected: true,
            paused: None,
        }
    }

    /// Its worker paused through the REST control API, with this reason.
    pub fn paused(mut self, reason: Option<&str>) -> Builder {
        self.paused = Some(reason.map(str::to_string));
        self
    }

    /// Its worker disconnected.
    pub fn offline(mut self) -> Builder {
        self.connected = false;
        self
    }
}

/// What a build's steps say.
#[derive(Debug, Clone)]
pub enum Steps {
    /// A `test` step with this result code and this regrtest output as its stdio log.
    Test(i64, String),
    /// The build stopped at `compile`: no test step.
    CompileFailed,
    /// A `test` step with this result code whose stdio log (of this many lines) the master's
    /// janitor deleted: type `d`, no content.
    TestLogDeleted(i64, usize),
    /// A `test` step with this result code whose stdio log the master lists (this many lines)
    /// but answers every request for its content with HTTP 500.
    TestLogUnreadable(i64, usize),
    /// The test step passed with this log, then a later step of this name failed.
    FailedAfterTests(&'static str, String),
}

#[derive(Debug, Clone)]
pub struct Build {
    pub builderid: u32,
    pub number: u32,
    /// Buildbot's result code: 0 success, 2 failure, 4 exception.
    pub results: i64,
    pub state_string: String,
    pub steps: Steps,
    /// `Some(masterid)`: still listed as running (`complete: false`, `results: null`) by that
    /// master (see [`masters`]); `None`: finished, on master 2.
    pub running_on: Option<u32>,
}

/// The masters the fake master lists: 1 was killed (still `active`, but its `last_active`
/// stopped a day ago), 2 is the one answering. Times are relative to the tests' clock
/// (`common::NOW`).
pub fn masters() -> String {
    let now = clock();
    format!(
        r#"{{"masters":[{{"masterid":1,"name":"old-host:/srv/master","active":true,"last_active":{}}},{{"masterid":2,"name":"new-host:/srv/master","active":true,"last_active":{}}}],"meta":{{"total":2}}}}"#,
        now - 90_000,
        now - 10
    )
}

/// The tests' fixed clock (`common::NOW`), Unix seconds.
fn clock() -> i64 {
    super::NOW.parse().expect("NOW")
}

/// Build `number`'s id: builds of round N come after every build of round N-1, across builders,
/// as on a real master.
fn buildid(b: &Build) -> u64 {
    u64::from(b.number) * 100 + u64::from(b.builderid)
}

/// When build `number` started and finished: an hour per round, from 100,000 s before the
/// tests' fixed clock (`common::NOW`).
pub fn started_at(number: u32) -> i64 {
    clock() - 100_000 + i64::from(number) * 3600
}

/// A real regrtest log from `tests/fixtures/logs`.
pub fn log(name: &str) -> String {
    let path = format!("{}/tests/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

impl Build {
    /// A passing build (its test step passed on `pass.txt`).
    pub fn pass(builderid: u32, number: u32) -> Build {
        Build {
            builderid,
            number,
            results: 0,
            state_string: "build successful".into(),
            steps: Steps::Test(0, log("pass.txt")),
            running_on: None,
        }
    }

    /// A build whose test step failed with this regrtest output.
    pub fn fail(builderid: u32, number: u32, log: String) -> Build {
        Build {
            builderid,
            number,
            results: 2,
            state_string: "failed test (failure)".into(),
            steps: Steps::Test(2, log),
            running_on: None,
        }
    }

    /// A build that failed to compile: it has no test step.
    pub fn compile_failed(builderid: u32, number: u32) -> Build {
        Build {
            builderid,
            number,
            results: 2,
            state_string: "failed compile (failure)".into(),
            steps: Steps::CompileFailed,
            running_on: None,
        }
    }

    /// A build whose test step failed then passed on re-run (WARNINGS), with this output.
    pub fn warnings(builderid: u32, number: u32, log: String) -> Build {
        Build {
            builderid,
            number,
            results: 1,
            state_string: "warnings test (warnings)".into(),
            steps: Steps::Test(1, log),
            running_on: None,
        }
    }

    /// A build whose test step ended in an EXCEPTION (the worker lost, say) with this output.
    pub fn exception_in_test(builderid: u32, number: u32, log: String) -> Build {
        Build {
            builderid,
            number,
            results: 4,
            state_string: "exception test (exception)".into(),
            steps: Steps::Test(4, log),
            running_on: None,
        }
    }

    /// A build still listed as running by master `masterid` (its test step hangs).
    pub fn running(builderid: u32, number: u32, masterid: u32) -> Build {
        Build {
            builderid,
            number,
            results: 0,
            state_string: "test".into(),
            steps: Steps::Test(0, log("pass.txt")),
            running_on: Some(masterid),
        }
    }

    fn json(&self) -> String {
        if let Some(master) = self.running_on {
            return format!(
                r#"{{"buildid":{},"builderid":{},"number":{},"results":null,"complete":false,"started_at":{},"complete_at":null,"state_string":"{}","masterid":{master},"properties":{{}}}}"#,
                buildid(self),
                self.builderid,
                self.number,
                started_at(self.number),
                self.state_string
            );
        }
        format!(
            r#"{{"buildid":{},"builderid":{},"number":{},"results":{},"complete":true,"started_at":{},"complete_at":{},"state_string":"{}","masterid":2,"properties":{{}}}}"#,
            buildid(self),
            self.builderid,
            self.number,
            self.results,
            started_at(self.number),
            started_at(self.number) + 600,
            self.state_string
        )
    }
}

fn query_values<'a>(query: &'a str, key: &str) -> Vec<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .collect()
}

fn number<T: std::str::FromStr>(query: &str, key: &str) -> Option<T> {
    query_values(query, key)
        .first()
        .and_then(|v| v.parse().ok())
}

fn page(kind: &str, items: &[String]) -> Reply {
    json(&format!(
        r#"{{"{kind}":[{}],"meta":{{"total":{}}}}}"#,
        items.join(","),
        items.len()
    ))
}

fn not_found() -> Reply {
    Reply::Body(
        404,
        "application/json",
        br#"{"error":"not found"}"#.to_vec(),
    )
}

/// Serve these builders and builds; the master's web root.
pub fn serve_master(builders: Vec<Builder>, builds: Vec<Build>) -> String {
    serve_history(builders, builds, History::default())
}

/// Given a request's path, a change the master receives before answering it.
pub type Arrivals = std::sync::Arc<dyn Fn(&str) -> Option<Change> + Send + Sync>;

/// A commit the master was sent (a Buildbot change), for `commit` and `pr`.
#[derive(Debug, Clone)]
pub struct Change {
    pub changeid: u64,
    pub revision: String,
    /// The git branch it was pushed to (`main`, `refs/pull/N/merge`).
    pub branch: String,
    pub author: String,
    pub subject: String,
    /// The change's properties, as a change source records them (`basename` for a GitHub
    /// pull request: its target branch).
    pub properties: Vec<(String, String)>,
}

impl Change {
    /// Change `changeid` on `branch`, its revision derived from both (40 hex digits).
    pub fn new(changeid: u64, branch: &str) -> Change {
        Change {
            changeid,
            revision: revision_of(changeid, branch),
            branch: branch.into(),
            author: format!("Author {changeid} <a{changeid}@example.org>"),
            subject: format!("gh-{}: change {changeid} on {branch}", 140_000 + changeid),
            properties: Vec::new(),
        }
    }

    fn json(&self) -> String {
        let props: Vec<String> = self
            .properties
            .iter()
            .map(|(k, v)| format!(r#""{k}":["{v}","Change"]"#))
            .collect();
        format!(
            r#"{{"changeid":{},"revision":"{}","branch":"{}","author":"{}","comments":"{}\n\nBody.","when_timestamp":{},"properties":{{{}}}}}"#,
            self.changeid,
            self.revision,
            self.branch,
            self.author,
            self.subject,
            1_795_300_000 + self.changeid as i64 * 600,
            props.join(",")
        )
    }
}

/// A revision for change `changeid` of `branch`: 40 hex digits, distinct per change.
pub fn revision_of(changeid: u64, branch: &str) -> String {
    let mix = |seed: u64| {
        branch
            .bytes()
            .chain(changeid.to_le_bytes())
            .fold(seed, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            })
    };
    format!(
        "{:016x}{:016x}{:08x}",
        mix(0xcbf2_9ce4_8422_2325),
        mix(0x8422_2325_cbf2_9ce4),
        changeid
    )
}

/// What a master knows beyond builders and builds: the commits it was sent, which revision
/// each build checked out (`got_revision`), and build requests (a RETRY build and its re-run
/// share one).
#[derive(Clone, Default)]
pub struct History {
    pub changes: Vec<Change>,
    /// `(builderid, number)` → the revision the build checked out.
    pub revisions: Vec<((u32, u32), String)>,
    /// `(builderid, number)` → its build request.
    pub requests: Vec<((u32, u32), u64)>,
    /// Called with every request's path before it is answered: a test can change what the
    /// master knows over time (a commit that arrives while `--watch` waits).
    pub arrivals: Option<Arrivals>,
}

impl History {
    /// Build `number` of builder `builderid` checked out `revision`.
    pub fn built(&mut self, builderid: u32, number: u32, revision: &str) {
        self.revisions.push(((builderid, number), revision.into()));
    }

    fn revision(&self, b: &Build) -> Option<&str> {
        self.revisions
            .iter()
            .find(|(k, _)| *k == (b.builderid, b.number))
            .map(|(_, r)| r.as_str())
    }

    /// The build's JSON with its `got_revision` (when asked) and build request.
    fn build_json(&self, b: &Build, query: &str) -> String {
        let mut json = b.json();
        if let Some(rev) = self.revision(b)
            && query.contains("property=got_revision")
        {
            json = json.replace(
                r#""properties":{}"#,
                &format!(r#""properties":{{"got_revision":["{rev}","Git"]}}"#),
            );
        }
        match self
            .requests
            .iter()
            .find(|(k, _)| *k == (b.builderid, b.number))
        {
            Some((_, request)) => {
                json.replacen('{', &format!(r#"{{"buildrequestid":{request},"#), 1)
            }
            None => json,
        }
    }
}

/// Serve these builders, builds and history; the master's web root.
pub fn serve_history(builders: Vec<Builder>, builds: Vec<Build>, history: History) -> String {
    let known = std::sync::Mutex::new(history);
    serve(move |path| {
        let mut h = known.lock().expect("one request at a time");
        if let Some(arrive) = h.arrivals.clone()
            && let Some(c) = arrive(path)
            && !h.changes.iter().any(|x| x.changeid == c.changeid)
        {
            h.changes.push(c);
        }
        answer(&builders, &builds, &h, path)
    })
    .url
}

fn decode(v: &str) -> String {
    v.replace("%2F", "/").replace("%2f", "/")
}

fn changes(h: &History, query: &str) -> Reply {
    let mut found: Vec<&Change> = h.changes.iter().collect();
    if let Some(rev) = query_values(query, "revision").first() {
        found.retain(|c| c.revision == *rev);
    }
    if let Some(rev) = query_values(query, "revision__contains").first() {
        found.retain(|c| c.revision.contains(rev));
    }
    let eq = query_values(query, "revision__eq");
    if !eq.is_empty() {
        found.retain(|c| eq.contains(&c.revision.as_str()));
    }
    if let Some(branch) = query_values(query, "branch").first() {
        let branch = decode(branch);
        found.retain(|c| c.branch == branch);
    }
    // A limited page: the newest `limit`, answered in ascending order as Buildbot does.
    found.sort_by_key(|c| std::cmp::Reverse(c.changeid));
    found.truncate(number(query, "limit").unwrap_or(usize::MAX));
    found.sort_by_key(|c| c.changeid);
    page(
        "changes",
        &found.iter().map(|c| c.json()).collect::<Vec<_>>(),
    )
}

fn answer(builders: &[Builder], builds: &[Build], h: &History, path: &str) -> Reply {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let parts: Vec<&str> = route.trim_start_matches("/api/v2/").split('/').collect();
    match parts[..] {
        ["changes"] => changes(h, query),
        ["changes", id, "builds"] => {
            let Some(c) = h.changes.iter().find(|c| c.changeid.to_string() == id) else {
                return not_found();
            };
            let items: Vec<String> = builds
                .iter()
                .filter(|b| h.revision(b) == Some(c.revision.as_str()))
                .map(|b| h.build_json(b, query))
                .collect();
            page("builds", &items)
        }
        ["builders"] => page(
            "builders",
            &builders
                .iter()
                .map(|b| {
                    let tags: Vec<String> = b.tags.iter().map(|t| format!("\"{t}\"")).collect();
                    format!(
                        r#"{{"builderid":{},"name":"{}","masterids":[1],"tags":[{}]}}"#,
                        b.id,
                        b.name,
                        tags.join(",")
                    )
                })
                .collect::<Vec<_>>(),
        ),
        // A trimmed list (`field=`) has no `pause_reason`; `paused=true` answers every field.
        ["workers"] => page(
            "workers",
            &builders
                .iter()
                .filter(|b| !query.contains("paused=true") || b.paused.is_some())
                .map(|b| {
                    let to = if b.connected { r#"{"masterid":2}"# } else { "" };
                    let reason = match &b.paused {
                        Some(Some(r)) if !query.contains("field=") => {
                            format!(r#","pause_reason":"{r}""#)
                        }
                        _ => String::new(),
                    };
                    format!(
                        r#"{{"workerid":{},"name":"worker-{}","connected_to":[{to}],"configured_on":[{{"builderid":{},"masterid":2}}],"paused":{}{reason}}}"#,
                        b.id,
                        b.id,
                        b.id,
                        b.paused.is_some()
                    )
                })
                .collect::<Vec<_>>(),
        ),
        ["masters"] => json(&masters()),
        ["builds"] => {
            let ids: Vec<u32> = query_values(query, "builderid__eq")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect();
            let eq: Vec<u64> = query_values(query, "buildid__eq")
                .iter()
                .filter_map(|v| v.parse().ok())
                .collect();
            let lt: u64 = number(query, "buildid__lt").unwrap_or(u64::MAX);
            let gt: u64 = number(query, "buildid__gt").unwrap_or(0);
            let mut found: Vec<&Build> = builds
                .iter()
                .filter(|b| ids.is_empty() || ids.contains(&b.builderid))
                .filter(|b| eq.is_empty() || eq.contains(&buildid(b)))
                .filter(|b| buildid(b) < lt && buildid(b) > gt)
                .collect();
            found.sort_by_key(|b| buildid(b));
            if query_values(query, "order") != ["buildid"] {
                found.reverse();
            }
            let limit: usize = number(query, "limit").unwrap_or(usize::MAX);
            let items: Vec<String> = found
                .iter()
                .take(limit)
                .map(|b| h.build_json(b, query))
                .collect();
            page("builds", &items)
        }
        ["builders", id, "builds"] => {
            let id: u32 = id.parse().unwrap_or(0);
            let mut found: Vec<&Build> = builds.iter().filter(|b| b.builderid == id).collect();
            found.sort_by_key(|b| std::cmp::Reverse(b.number));
            let limit: usize = number(query, "limit").unwrap_or(usize::MAX);
            let items: Vec<String> = found
                .iter()
                .take(limit)
                .map(|b| h.build_json(b, query))
                .collect();
            page("builds", &items)
        }
        ["builders", id, "builds", n] => {
            let (id, n): (u32, u32) = (id.parse().unwrap_or(0), n.parse().unwrap_or(0));
            match builds.iter().find(|b| b.builderid == id && b.number == n) {
                Some(b) => page("builds", &[h.build_json(b, query)]),
                None => not_found(),
            }
        }
        ["builds", id, "steps"] => {
            let Some(b) = builds.iter().find(|b| buildid(b).to_string() == id) else {
                return not_found();
            };
            let step = |number: u64, name: &str, results: i64| {
                format!(
                    r#"{{"stepid":{},"number":{number},"name":"{name}","results":{results},"complete":true,"started_at":1,"complete_at":2,"state_string":"{name}","hidden":false}}"#,
                    buildid(b) * 10 + number
                )
            };
            let steps = match &b.steps {
                Steps::Test(results, _)
                | Steps::TestLogDeleted(results, _)
                | Steps::TestLogUnreadable(results, _) => {
                    vec![step(0, "git", 0), step(1, "compile", 0), step(2, "test", *results)]
                }
                Steps::CompileFailed => vec![step(0, "git", 0), step(1, "compile", 2)],
                Steps::FailedAfterTests(name, _) => vec![
                    step(0, "git", 0),
                    step(1, "compile", 0),
                    step(2, "test", 0),
                    step(3, name, 2),
                ],
            };
            page("steps", &steps)
        }
        ["steps", stepid, "logs"] => match test_log(builds, stepid) {
            Some(text) => page(
                "logs",
                &[format!(
                    r#"{{"logid":{stepid},"name":"stdio","slug":"stdio","num_lines":{},"type":"s","complete":true}}"#,
                    text.lines().count()
                )],
            ),
            None => match (deleted_log(builds, stepid), unreadable_log(builds, stepid)) {
                (Some(lines), _) => page(
                    "logs",
                    &[format!(
                        r#"{{"logid":{stepid},"name":"stdio","slug":"stdio","num_lines":{lines},"type":"d","complete":true}}"#
                    )],
                ),
                (None, Some(lines)) => page(
                    "logs",
                    &[format!(
                        r#"{{"logid":{stepid},"name":"stdio","slug":"stdio","num_lines":{lines},"type":"s","complete":true}}"#
                    )],
                ),
                (None, None) => page("logs", &[]),
            },
        },
        ["logs", logid, "contents"] => {
            if unreadable_log(builds, logid).is_some() {
                return Reply::Body(
                    500,
                    "application/json",
                    br#"{"error":"internal server error"}"#.to_vec(),
                );
            }
            let Some(text) = test_log(builds, logid) else {
                return not_found();
            };
            let offset: usize = number(query, "offset").unwrap_or(0);
            let limit: usize = number(query, "limit").unwrap_or(usize::MAX);
            // Buildbot's stdio lines carry their stream: `o` for stdout.
            let content: String = text
                .lines()
                .skip(offset)
                .take(limit)
                .map(|l| format!("o{l}\n"))
                .collect();
            let content = serde_json::to_string(&content).expect("a string serialises");
            json(&format!(
                r#"{{"logchunks":[{{"firstline":{offset},"content":{content}}}],"meta":{{"total":1}}}}"#
            ))
        }
        _ => not_found(),
    }
}

/// The length of the deleted test log of the build whose test step (or log) is `id`.
fn deleted_log(builds: &[Build], id: &str) -> Option<usize> {
    builds.iter().find_map(|b| match &b.steps {
        Steps::TestLogDeleted(_, lines) if (buildid(b) * 10 + 2).to_string() == id => Some(*lines),
        _ => None,
    })
}

/// The length of the unreadable test log of the build whose test step (or log) is `id`.
fn unreadable_log(builds: &[Build], id: &str) -> Option<usize> {
    builds.iter().find_map(|b| match &b.steps {
        Steps::TestLogUnreadable(_, lines) if (buildid(b) * 10 + 2).to_string() == id => {
            Some(*lines)
        }
        _ => None,
    })
}

/// The test step's log of the build whose test step (or its log: same id) is `id`.
fn test_log<'a>(builds: &'a [Build], id: &str) -> Option<&'a String> {
    builds.iter().find_map(|b| match &b.steps {
        Steps::Test(_, text) | Steps::FailedAfterTests(_, text)
            if (buildid(b) * 10 + 2).to_string() == id =>
        {
            Some(text)
        }
        _ => None,
    })
}
