//! Reading a build's test log, for the commands that triage (build, failures, repro) and for
//! `--tests` (summary, release, watch): steps and log windows through [`super::build_detail`],
//! parsed by `model::regrtest`.

use std::collections::HashMap;

use super::build_detail;
use super::source::{Live, Source};
use crate::api::ApiError;
use crate::api::types::{Build, BuildId, BuilderId, Log, Step};
use crate::error::Error;
use crate::model::build::{HEAD_LINES, stdio_log, test_step, windows};
use crate::model::failure_search::{Search, SearchOutcome, WHOLE_READ_LINES};
use crate::model::known_issues::KnownIssues;
use crate::model::regrtest::{LogSummary, Parser, counter_marks, feed_stdio_chunk};
use crate::model::release::{BranchVerdict, Effect, Finding};
use crate::model::summary::{FailedTest, Summary, failed_tests};

/// What was read of a build's test step.
#[derive(Debug)]
pub struct TestLog {
    pub steps: Vec<Step>,
    /// The test step's name, when the build has one.
    pub step: Option<String>,
    pub log: Option<Log>,
    /// `(offset, limit)` line windows read.
    pub windows: Vec<(u64, u64)>,
    pub bytes: usize,
    /// `None` when there is no test step or it has no stdio log.
    pub summary: Option<LogSummary>,
    /// The middle of a long log was searched for failures (no final summary in the head and
    /// tail windows, and the counters say tests failed in between).
    pub search: Option<SearchOutcome>,
}

/// Steps, the test step's stdio log (head and tail windows, or all of it with `full`), parsed.
/// 3 or 4 requests: steps, logs, one or two windows; when those windows hold no final summary,
/// the middle too: whole if short, else searched for the failures the progress counters
/// count (see `model::failure_search` for the budget).
pub async fn read(live: &Live, build: &Build, full: bool) -> Result<TestLog, ApiError> {
    let steps = build_detail::steps(live, build).await?;
    let mut out = TestLog {
        steps: Vec::new(),
        step: None,
        log: None,
        windows: Vec::new(),
        bytes: 0,
        summary: None,
        search: None,
    };
    if let Some(step) = test_step(&steps) {
        out.step = Some(step.name.clone());
        let logs = build_detail::logs(live, step.stepid, build.complete).await?;
        if let Some(log) = stdio_log(&logs).filter(|l| l.deleted()) {
            // Nothing to read: the server keeps only the log's name and length.
            out.log = Some(log.clone());
        } else if let Some(log) = stdio_log(&logs) {
            out.log = Some(log.clone());
            if full {
                read_whole(live, build, log, &mut out).await?;
            } else {
                read_windows(live, build, log, &mut out).await?;
            }
        }
    }
    out.steps = steps;
    Ok(out)
}

/// `--full-log`, `repro`: every line, page by page, each page parsed and dropped (a 200 MB log
/// never sits in memory whole).
async fn read_whole(
    live: &Live,
    build: &Build,
    log: &Log,
    out: &mut TestLog,
) -> Result<(), ApiError> {
    let mut parser = Parser::default();
    out.windows = windows(log.num_lines, true);
    for (offset, limit) in &out.windows {
        // A whole log read in one page (a few MB at most) is cached; a longer one is not: it
        // could be hundreds of MB, and is asked for rarely.
        let cache_it = build.complete && out.windows.len() == 1;
        let page = build_detail::log_lines(live, log.logid, *offset, *limit, cache_it).await?;
        out.bytes += page.len();
        feed_stdio_chunk(&mut parser, &page);
    }
    out.summary = Some(parser.finish());
    Ok(())
}

/// Bump when the parser or the search would read the same log differently: summaries cached
/// under an older format are then never read again (they age out of the cache).
const PARSED_FORMAT: u32 = 1;

/// What [`read_windows`] keeps in the cache for a finished build's log, so that a later run
/// neither reads its windows nor parses them again.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct CachedParse {
    summary: LogSummary,
    search: Option<SearchOutcome>,
    windows: Vec<(u64, u64)>,
    bytes: usize,
}

/// The cache key of a log's parsed summary: not an API path (they never start with `parsed`),
/// so it cannot collide with a cached response. The log's length is in it: a log that grew
/// (it never does once its build finished) would be parsed again.
fn parsed_key(log: &Log) -> String {
    format!(
        "parsed/v{PARSED_FORMAT}/{}/logs/{}/{}",
        env!("CARGO_PKG_VERSION"),
        log.logid,
        log.num_lines
    )
}

/// The default reading: head and tail windows; without a final summary in them, the middle
/// too (whole when the log is short, else the failure search). Every window read is cached
/// once the build is finished, and so is the parsed result (a warm run parses nothing).
async fn read_windows(
    live: &Live,
    build: &Build,
    log: &Log,
    out: &mut TestLog,
) -> Result<(), ApiError> {
    let cache = live.cache().filter(|_| build.complete);
    if let Some(cache) = cache
        && let Some(body) = cache.response(&parsed_key(log))
        && let Ok(parsed) = serde_json::from_slice::<CachedParse>(&body)
    {
        live.stats().count_cache_hits(1);
        out.windows = parsed.windows;
        out.bytes = parsed.bytes;
        out.search = parsed.search;
        out.summary = Some(parsed.summary);
        return Ok(());
    }
    read_windows_uncached(live, build, log, out).await?;
    if let (Some(cache), Some(summary)) = (cache, &out.summary) {
        let parsed = CachedParse {
            summary: summary.clone(),
            search: out.search,
            windows: out.windows.clone(),
            bytes: out.bytes,
        };
        if let Ok(body) = serde_json::to_vec(&parsed) {
            cache.put_response(&parsed_key(log), &body, live.now());
        }
    }
    Ok(())
}

async fn read_windows_uncached(
    live: &Live,
    build: &Build,
    log: &Log,
    out: &mut TestLog,
) -> Result<(), ApiError> {
    let mut pages: Vec<(u64, u64, String)> = Vec::new();
    for (offset, limit) in windows(log.num_lines, false) {
        let page = build_detail::log_lines(live, log.logid, offset, limit, build.complete).await?;
        pages.push((offset, limit, page));
    }
    let mut summary = parse_pages(&pages);
    let read: u64 = pages.iter().map(|p| p.1).sum();
    if summary.rebuilt_from_events && read < log.num_lines {
        if log.num_lines <= WHOLE_READ_LINES {
            let (offset, limit) = (HEAD_LINES, log.num_lines - read);
            let page =
                build_detail::log_lines(live, log.logid, offset, limit, build.complete).await?;
            pages.push((offset, limit, page));
        } else {
            out.search = Some(search_middle(live, build, log, &mut pages).await?);
        }
        pages.sort_by_key(|p| p.0);
        summary = parse_pages(&pages);
    }
    out.windows = pages.iter().map(|p| (p.0, p.1)).collect();
    out.bytes = pages.iter().map(|p| p.2.len()).sum();
    out.summary = Some(summary);
    Ok(())
}

/// Rounds of windows chosen by [`Search`] from the progress counters, each round's requests
/// sent together, until every counted failure is located or the budget is spent.
async fn search_middle(
    live: &Live,
    build: &Build,
    log: &Log,
    pages: &mut Vec<(u64, u64, String)>,
) -> Result<SearchOutcome, ApiError> {
    let mut search = Search::new(log.num_lines);
    for (offset, limit, page) in pages.iter() {
        search.record(*offset, *limit, &counter_marks(page), None);
    }
    loop {
        let next = search.next_windows();
        if next.is_empty() {
            return Ok(search.outcome());
        }
        let mut reads = tokio::task::JoinSet::new();
        for (offset, limit) in next {
            let (live, logid, finished) = (live.clone(), log.logid, build.complete);
            reads.spawn(async move {
                let page = build_detail::log_lines(&live, logid, offset, limit, finished).await;
                page.map(|p| (offset, limit, p))
            });
        }
        while let Some(joined) = reads.join_next().await {
            // A task that panicked ends the search: what it did not read stays unlocated.
            let Ok(result) = joined else {
                return Ok(search.outcome());
            };
            let (offset, limit, page) = result?;
            search.record(offset, limit, &counter_marks(&page), Some(page.len()));
            pages.push((offset, limit, page));
        }
    }
}

/// The regrtest summary of windows read, fed in log order.
fn parse_pages(pages: &[(u64, u64, String)]) -> LogSummary {
    let mut sorted: Vec<&(u64, u64, String)> = pages.iter().collect();
    sorted.sort_by_key(|p| p.0);
    let mut parser = Parser::default();
    for (_, _, page) in sorted {
        feed_stdio_chunk(&mut parser, page);
    }
    parser.finish()
}

/// `--tests`: the failing tests of each `(builder, build)` given, marked with their known issue,
/// read 4 at a time. A log that cannot be read is skipped with a warning (the report keeps
/// Buildbot's own summary for it).
pub async fn failing_tests(
    source: &Source,
    known_issues: &KnownIssues,
    targets: Vec<(BuilderId, String, Build)>,
) -> Result<HashMap<BuilderId, Vec<FailedTest>>, Error> {
    Ok(read_failing_tests(source, known_issues, targets).await?.0)
}

/// [`failing_tests`], and how many logs could not be read: a report that lacks them is
/// incomplete, and its exit code must say so.
async fn read_failing_tests(
    source: &Source,
    known_issues: &KnownIssues,
    targets: Vec<(BuilderId, String, Build)>,
) -> Result<(HashMap<BuilderId, Vec<FailedTest>>, usize), Error> {
    let live = source.reader("--tests")?;
    let mut tasks = tokio::task::JoinSet::new();
    for (id, name, build) in targets {
        let live = live.clone();
        tasks.spawn(async move { (id, name, read(&live, &build, false).await) });
    }
    let mut out = HashMap::new();
    let mut unread = 0;
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, name, result)) = joined else {
            unread += 1;
            continue;
        };
        match result {
            Ok(TestLog {
                summary: Some(s), ..
            }) => {
                out.insert(id, failed_tests(&s, &name, known_issues));
            }
            Ok(_) => {}
            Err(e) => {
                unread += 1;
                crate::stderr::warn(&format!("could not read the test log of {name}: {e}"));
            }
        }
    }
    Ok((out, unread))
}

/// `--tests`: the failing tests of each row's newest failed build. Returns how many test logs
/// could not be read.
pub async fn attach_to_summary(
    source: &Source,
    known_issues: &KnownIssues,
    summary: &mut Summary,
    builds: &HashMap<BuilderId, Vec<Build>>,
) -> Result<usize, Error> {
    let targets = summary
        .branches
        .iter()
        .flat_map(|b| &b.builders)
        .filter_map(|row| {
            let f = row.last_failure.as_ref()?;
            let build = builds
                .get(&row.builderid)?
                .iter()
                .find(|b| b.number == f.number)?;
            Some((row.builderid, row.name.clone(), build.clone()))
        })
        .collect();
    let (mut tests, unread) = read_failing_tests(source, known_issues, targets).await?;
    for row in summary.branches.iter_mut().flat_map(|b| &mut b.builders) {
        if let (Some(f), Some(t)) = (row.last_failure.as_mut(), tests.remove(&row.builderid)) {
            f.tests = t;
        }
    }
    Ok(unread)
}

/// `--tests`: the failing tests of the latest build of each builder that moves a verdict.
/// Returns how many test logs could not be read.
pub async fn attach_to_verdicts(
    source: &Source,
    known_issues: &KnownIssues,
    verdicts: &mut [BranchVerdict],
    builds: &HashMap<BuilderId, Vec<Build>>,
) -> Result<usize, Error> {
    let targets = verdicts
        .iter()
        .flat_map(|v| &v.builders)
        .filter(|j| j.effect != Effect::None && j.finding == Finding::Failing)
        .filter_map(|j| {
            let latest = j.latest.as_ref()?;
            let build = builds
                .get(&j.builderid)?
                .iter()
                .find(|b| b.number == latest.number)?;
            Some((j.builderid, j.name.clone(), build.clone()))
        })
        .collect();
    let (tests, unread) = read_failing_tests(source, known_issues, targets).await?;
    for j in verdicts.iter_mut().flat_map(|v| &mut v.builders) {
        if let Some(t) = tests.get(&j.builderid) {
            j.failing_tests = t.clone();
        }
    }
    Ok(unread)
}

/// The failing tests of each build given (with its builder's name, for known issues), by
/// build id, read 4 at a time (`commit`, `pr`): a build whose log names no failing test (no
/// test step, a compile error) maps to an empty list; one whose log could not be read is left
/// out of the first map and named in the second, with the error. `command` names the command
/// in the hint of a snapshot that records no logs.
pub async fn failing_tests_by_build(
    source: &Source,
    command: &str,
    known_issues: &KnownIssues,
    targets: Vec<(String, Build)>,
) -> Result<(HashMap<BuildId, Vec<FailedTest>>, HashMap<BuildId, String>), Error> {
    let live = source.reader(command)?;
    let mut tasks = tokio::task::JoinSet::new();
    let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(4));
    for (name, build) in targets {
        let (live, limit) = (live.clone(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let read = read(&live, &build, false).await;
            (build.buildid, name, read)
        });
    }
    let (mut tests, mut unread) = (HashMap::new(), HashMap::new());
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, name, result)) = joined else {
            continue;
        };
        match result {
            Ok(log) => {
                let failed = log
                    .summary
                    .map(|s| failed_tests(&s, &name, known_issues))
                    .unwrap_or_default();
                tests.insert(id, failed);
            }
            Err(e) => {
                unread.insert(id, e.to_string());
            }
        }
    }
    Ok((tests, unread))
}

#[cfg(test)]
#[path = "test_log_snapshot_tests.rs"]
mod snapshot_tests;
