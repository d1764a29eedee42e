//! What `bbreport snapshot` reads that reports never do: the builders, workers and newest
//! changes exactly as the master serves them (every field), so that a snapshot holds the
//! master's own answers; and what triage reads of the failed builds ([`triage`]).

use serde_json::Value;

use super::source::Live;
use super::{build_detail, test_log};
use crate::api::types::{Build, Builder, Worker};
use crate::api::{ApiError, ApiErrorKind, TriageFile, endpoints};
use crate::model::build::{FAILED_STEP_TAIL_LINES, failed_step};

/// The longest test log a snapshot records whole (for `repro` and `build --full-log`, which
/// read every line); a longer one keeps only what the default reading read (head and tail
/// windows, and what the failure search read of its middle). A budget: the snapshot ships in
/// the repository.
pub const WHOLE_RECORDED_LINES: u64 = 2_000;

/// Whether a snapshot records triage for this build: finished with warnings (Buildbot's code
/// 1), failure (2) or exception (4), the builds `failures`, `repro` and `--tests` read.
pub fn is_triaged(build: &Build) -> bool {
    build.complete && matches!(build.results, Some(1 | 2 | 4))
}

/// What triage reads of the triaged builds among `builds` ([`is_triaged`]), as the master
/// answered: their steps; the test step's logs; the test log as `build`, `failures` and
/// `--tests` read it by default (head and tail windows, the middle when the failure search
/// read it); the whole test log when it is at most [`WHOLE_RECORDED_LINES`] lines (`repro`);
/// the last lines of a failed step other than the test step (`build`). The reads are the
/// fetch functions' own, through a recording [`Live`], so a snapshot answers exactly the
/// requests they make. 4 builds at a time; the first error ends the recording.
pub async fn triage(live: &Live, builds: &[Build]) -> Result<TriageFile, ApiError> {
    let (recording, recorder) = live.recording();
    let mut tasks = tokio::task::JoinSet::new();
    let mut pending = builds.iter().filter(|b| is_triaged(b)).cloned();
    let spawn = |tasks: &mut tokio::task::JoinSet<_>, b: Build| {
        let live = recording.clone();
        tasks.spawn(async move { read_for_triage(&live, &b).await });
    };
    for b in pending.by_ref().take(4) {
        spawn(&mut tasks, b);
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| ApiError {
            url: live.server().root().to_string(),
            kind: ApiErrorKind::Body(format!("a recording task failed: {e}")),
        })??;
        if let Some(b) = pending.next() {
            spawn(&mut tasks, b);
        }
    }
    let responses = std::mem::take(&mut *recorder.lock().unwrap_or_else(|e| e.into_inner()));
    Ok(TriageFile { responses })
}

async fn read_for_triage(live: &Live, build: &Build) -> Result<(), ApiError> {
    let read = test_log::read(live, build, false).await?;
    if let Some(step) = failed_step(&read.steps) {
        build_detail::log_tail(live, build, step, FAILED_STEP_TAIL_LINES).await?;
    }
    let short = read
        .log
        .as_ref()
        .is_some_and(|l| !l.deleted() && l.num_lines <= WHOLE_RECORDED_LINES);
    if short {
        test_log::read(live, build, true).await?;
    }
    Ok(())
}

/// The lists as the master sent them, and decoded.
#[derive(Debug)]
pub struct RawLists {
    pub builders_raw: Value,
    pub workers_raw: Value,
    pub changes_raw: Value,
    pub builders: Vec<Builder>,
    pub workers: Vec<Worker>,
}

/// The builders and workers lists and the newest `changes` commits, in one round of requests.
pub async fn raw_lists(live: &Live, changes: usize) -> Result<RawLists, ApiError> {
    let changes_path = endpoints::recent_changes(changes);
    let (builders_raw, workers_raw, changes_raw) = tokio::try_join!(
        live.get_json::<Value>(endpoints::ALL_BUILDERS),
        live.get_json::<Value>(endpoints::ALL_WORKERS),
        live.get_json::<Value>(&changes_path),
    )?;
    let decode = |what: &str, e: serde_json::Error| ApiError {
        url: live.server().api_url(what),
        kind: ApiErrorKind::Json(e.to_string()),
    };
    let builders: Vec<Builder> = serde_json::from_value(builders_raw["builders"].clone())
        .map_err(|e| decode(endpoints::ALL_BUILDERS, e))?;
    let workers: Vec<Worker> = serde_json::from_value(workers_raw["workers"].clone())
        .map_err(|e| decode(endpoints::ALL_WORKERS, e))?;
    Ok(RawLists {
        builders_raw,
        workers_raw,
        changes_raw,
        builders,
        workers,
    })
}
