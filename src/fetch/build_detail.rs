//! One build in detail: the build, its steps, and windows of a log. From a live master (what a
//! finished build has can no longer change, so it is read through the cache) or from a
//! snapshot's recorded answers (`Live::recorded`: the steps and log windows triage read of its
//! failed, warnings and exception builds when it was recorded).

use super::source::Live;
use crate::api::endpoints;
use crate::api::types::{Build, BuildsPage, Log, LogChunksPage, LogsPage, Step, StepsPage};
use crate::api::{ApiError, ApiErrorKind};
use crate::model::build::{stdio_lines, stdio_log, tail_window};

/// A build by builder id and number, or its newest build when `number` is `None`, with
/// `got_revision`. `Ok(None)` when it does not exist (for a snapshot: it did not when recorded;
/// a build older than those recorded is `NotRecorded`). A finished build never changes: read by
/// number, it is cached, so `--offline` can show it again (the newest build can change).
pub async fn build(
    live: &Live,
    builderid: u32,
    number: Option<u32>,
) -> Result<Option<Build>, ApiError> {
    let path = endpoints::build(builderid, number);
    if let Some(snapshot) = live.snapshot() {
        // The snapshot's builds are its builds.json; a number older than those recorded is not
        // "no such build" but one the snapshot does not hold.
        return match (snapshot.build(builderid, number), number) {
            (Some(b), _) => Ok(Some(b)),
            (None, Some(n)) if snapshot.oldest_number(builderid).is_some_and(|o| n < o) => {
                Err(live.not_recorded(&path))
            }
            (None, _) => Ok(None),
        };
    }
    let page = match number {
        Some(_) => {
            live.get_json_immutable_if(&path, |p: &BuildsPage| {
                p.builds.first().is_some_and(|b| b.complete)
            })
            .await
        }
        None => live.get_json::<BuildsPage>(&path).await,
    };
    match page {
        Ok(page) => Ok(page.builds.into_iter().next()),
        Err(ApiError {
            kind: ApiErrorKind::Status { code: 404, .. },
            ..
        }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The steps of a build. Those of a finished build never change: they are cached.
pub async fn steps(live: &Live, build: &Build) -> Result<Vec<Step>, ApiError> {
    let path = endpoints::steps(build.buildid);
    let page: StepsPage = if build.complete {
        live.get_json_immutable(&path).await?
    } else {
        live.get_json(&path).await?
    };
    let mut steps = page.steps;
    steps.sort_by_key(|s| s.number);
    Ok(steps)
}

/// The logs of a step; `finished`: its build is complete, so they never change (cached).
pub async fn logs(live: &Live, stepid: u64, finished: bool) -> Result<Vec<Log>, ApiError> {
    let path = endpoints::logs(stepid);
    let page: LogsPage = if finished {
        live.get_json_immutable(&path).await?
    } else {
        live.get_json(&path).await?
    };
    Ok(page.logs)
}

/// Lines `offset..offset+limit` of a log, as Buildbot's `/contents` gives them (stdio lines
/// keep their stream letter). `/raw` is never used: on python.org big raw logs time out.
///
/// `finished`: the log's build is complete, so these lines never change (cached).
pub async fn log_lines(
    live: &Live,
    logid: u64,
    offset: u64,
    limit: u64,
    finished: bool,
) -> Result<String, ApiError> {
    let path = endpoints::log_lines(logid, offset, limit);
    let page: LogChunksPage = if finished {
        live.get_json_immutable(&path).await?
    } else {
        live.get_json(&path).await?
    };
    let mut chunks = page.logchunks;
    chunks.sort_by_key(|ch| ch.firstline);
    Ok(chunks.into_iter().map(|ch| ch.content).collect())
}

/// What was read of the end of a step's stdio log.
#[derive(Debug)]
pub struct LogTail {
    /// The step's stdio log; `None` when it has none (nothing was read).
    pub log: Option<Log>,
    /// The `(offset, limit)` window read; `None` when nothing was (no log, or an empty one).
    pub window: Option<(u64, u64)>,
    pub bytes: usize,
    /// The lines read, without their stream letters, oldest first.
    pub lines: Vec<String>,
}

/// The last `lines` lines of a step's stdio log, in the same `/contents` windows as the test
/// log (cached once its build is finished): 1 or 2 requests (logs, then the window).
pub async fn log_tail(
    live: &Live,
    build: &Build,
    step: &Step,
    lines: u64,
) -> Result<LogTail, ApiError> {
    let logs = logs(live, step.stepid, build.complete).await?;
    let mut out = LogTail {
        log: stdio_log(&logs).cloned(),
        window: None,
        bytes: 0,
        lines: Vec::new(),
    };
    let Some(log) = &out.log else {
        return Ok(out);
    };
    out.window = tail_window(log.num_lines, lines);
    if let Some((offset, limit)) = out.window {
        let page = log_lines(live, log.logid, offset, limit, build.complete).await?;
        out.bytes = page.len();
        out.lines = stdio_lines(&page);
    }
    Ok(out)
}
