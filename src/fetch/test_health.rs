//! The builds `tests` and `test NAME` judge: each selected builder's finished builds in a window
//! (the last N days by start time, or the newest N builds), with the test log of every FAILURE,
//! WARNINGS and EXCEPTION build read once and parsed (both cached once the build is finished,
//! see [`super::test_log`]), turned into `model::test_health`'s evidence.

use std::collections::HashMap;

use tokio::task::JoinSet;

use super::source::{Live, Source};
use super::{Newest, newest_builds, test_log};
use crate::api::ApiError;
use crate::api::types::{Build, BuilderId};
use crate::model::build::test_step;
use crate::model::status::BuildResult;
use crate::model::test_health::{Evidence, WindowBuild, evidence, evidence_unread};

/// Builds read per builder for `--days`: the window is cut there (and says so) on a builder
/// that builds more often than that in the window.
pub const DAYS_MAX_BUILDS: usize = 100;

/// Which builds of each builder are judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Builds started in the last N days (Unix seconds of `now` minus N × 86 400).
    Days(u32),
    /// The newest N builds.
    Builds(u32),
}

/// What was read.
#[derive(Debug, Default)]
pub struct HealthRead {
    /// Every finished build of the window, any order.
    pub builds: Vec<WindowBuild>,
    /// FAILURE, WARNINGS and EXCEPTION builds whose test log was read.
    pub logs_read: usize,
    /// Of those, the ones whose steps or log could not be read.
    pub unreadable: usize,
    /// Builders whose `--days` window was cut at [`DAYS_MAX_BUILDS`].
    pub cut: Vec<BuilderId>,
    /// Builders whose builds could not be fetched, with the reason.
    pub failed: HashMap<BuilderId, String>,
}

/// Read the window of each builder of `ids`, and the test logs that can hold evidence.
pub async fn read(
    source: &Source,
    live: &Live,
    ids: &[BuilderId],
    window: Window,
    now: i64,
) -> Result<HealthRead, ApiError> {
    let per_builder = match window {
        Window::Days(_) => DAYS_MAX_BUILDS,
        Window::Builds(n) => n as usize,
    };
    let fetched = newest_builds(source, ids, Newest::builds(per_builder)).await?;
    let mut out = HealthRead {
        failed: fetched.failed,
        ..HealthRead::default()
    };
    let mut to_read: Vec<Build> = Vec::new();
    let mut ids_sorted: Vec<&BuilderId> = fetched.by_builder.keys().collect();
    ids_sorted.sort();
    for id in ids_sorted {
        let builds = &fetched.by_builder[id];
        let kept: Vec<&Build> = match window {
            Window::Days(days) => {
                let since = now - i64::from(days) * 86_400;
                let kept: Vec<&Build> = builds
                    .iter()
                    .filter(|b| b.started_at.is_some_and(|t| t >= since))
                    .collect();
                if builds.len() >= DAYS_MAX_BUILDS && kept.len() == builds.len() {
                    out.cut.push(*id);
                }
                kept
            }
            Window::Builds(_) => builds.iter().collect(),
        };
        for b in kept.into_iter().filter(|b| b.complete) {
            let Some(result) = BuildResult::from_code(b.results) else {
                continue;
            };
            if matches!(
                result,
                BuildResult::Warnings | BuildResult::Failure | BuildResult::Exception
            ) {
                to_read.push(b.clone());
            } else {
                out.builds.push(WindowBuild {
                    builderid: b.builderid,
                    number: b.number,
                    started_at: b.started_at,
                    evidence: evidence_unread(result),
                });
            }
        }
    }
    let total = to_read.len();
    crate::stderr::task_progress("test logs read", 0, total);
    let mut tasks = JoinSet::new();
    for b in to_read {
        let live = live.clone();
        tasks.spawn(async move {
            let read = test_log::read(&live, &b, false).await;
            (b, read)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        out.logs_read += 1;
        crate::stderr::task_progress("test logs read", out.logs_read, total);
        let Ok((b, read)) = joined else {
            out.unreadable += 1;
            continue;
        };
        let result = BuildResult::from_code(b.results).unwrap_or(BuildResult::Failure);
        let evidence = match read {
            Ok(read) => {
                let step_result = test_step(&read.steps).map(|s| s.results);
                let deleted = read.log.as_ref().is_some_and(|l| l.deleted());
                evidence(result, step_result, read.summary, deleted, false)
            }
            Err(e) => {
                if matches!(e.kind, crate::api::ApiErrorKind::NotCached) {
                    // --offline and the cache lacks this log: the run cannot say, and says so.
                    return Err(e);
                }
                out.unreadable += 1;
                crate::stderr::warn(&format!(
                    "could not read the test log of build {} of builder {}: {e}",
                    b.number, b.builderid
                ));
                evidence(result, None, None, false, true)
            }
        };
        out.builds.push(WindowBuild {
            builderid: b.builderid,
            number: b.number,
            started_at: b.started_at,
            evidence,
        });
    }
    Ok(out)
}

/// The parsed log of a build of the window, when it has one.
pub fn summary_of(
    builds: &[WindowBuild],
    builderid: BuilderId,
    number: u32,
) -> Option<&crate::model::regrtest::LogSummary> {
    builds
        .iter()
        .find(|w| w.builderid == builderid && w.number == number)
        .and_then(|w| match &w.evidence {
            Evidence::Log(s) => Some(s.as_ref()),
            _ => None,
        })
}

/// The builders `tests` and `test` cover: the BRANCH arguments, else the config's branches,
/// else every branch with active builders except the pull-request one (a PR's failures are
/// often the PR's own), narrowed by `-n GLOB`.
pub fn selection(
    builders: &[crate::api::types::Builder],
    workers: &[crate::api::types::Worker],
    rules: &crate::model::classify::TagRules,
    configured: Option<&[String]>,
    asked: &[String],
    glob: Option<&globset::GlobMatcher>,
) -> Result<crate::model::select::Selection, crate::error::Error> {
    let asked: Vec<String> = match (asked, configured) {
        ([], Some(list)) => list.to_vec(),
        _ => asked.to_vec(),
    };
    let mut selection = crate::model::select::select(builders, workers, rules, &asked, glob)?;
    if asked.is_empty() {
        let pr = rules.pull_request_branch();
        selection.builders.retain(|b| b.class.branch != pr);
        selection.branches.retain(|b| b != pr);
    }
    Ok(selection)
}
