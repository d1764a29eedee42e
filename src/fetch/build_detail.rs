//! One build in detail: the build, its steps, and windows of a log. Live masters only (a
//! snapshot records no steps or logs); what a finished build has can no longer change, so it
//! is read through the cache.

use super::source::Live;
use crate::api::endpoints;
use crate::api::types::{Build, BuildsPage, Log, LogChunksPage, LogsPage, Step, StepsPage};
use crate::api::{ApiError, ApiErrorKind};

/// A build by builder id and number, or its newest build when `number` is `None`, with
/// `got_revision`. `Ok(None)` when it does not exist. A finished build never changes: read by
/// number, it is cached, so `--offline` can show it again (the newest build can change).
pub async fn build(
    live: &Live,
    builderid: u32,
    number: Option<u32>,
) -> Result<Option<Build>, ApiError> {
    let path = endpoints::build(builderid, number);
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
