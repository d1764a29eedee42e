//! Reading a build's test log: shared by the commands that triage (build, failures, repro, and
//! the summary and release with --tests). Fetch through `api::build_detail`, parse with
//! `model::regrtest`.

use crate::api::ApiError;
use crate::api::types::{Build, Log, Step};
use crate::fetch::{Live, build_detail};
use crate::model::build::{stdio_log, test_step, windows};
use crate::model::regrtest::{LogSummary, Parser, feed_stdio_chunk};

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
}

/// Steps, the test step's stdio log (head and tail windows, or all of it with `full`), parsed.
/// 3 or 4 requests: steps, logs, one or two windows.
pub async fn read(live: &Live, build: &Build, full: bool) -> Result<TestLog, ApiError> {
    let steps = build_detail::steps(live, build).await?;
    let mut out = TestLog {
        steps: Vec::new(),
        step: None,
        log: None,
        windows: Vec::new(),
        bytes: 0,
        summary: None,
    };
    if let Some(step) = test_step(&steps) {
        out.step = Some(step.name.clone());
        let logs = build_detail::logs(live, step.stepid, build.complete).await?;
        if let Some(log) = stdio_log(&logs) {
            // Page by page: each page is parsed, then dropped.
            let mut parser = Parser::default();
            out.windows = windows(log.num_lines, full);
            for (offset, limit) in &out.windows {
                // The head and tail windows are cached; a whole log (--full-log) is not: it
                // could be hundreds of MB, and is asked for rarely.
                let cache_it = build.complete && !full;
                let page =
                    build_detail::log_lines(live, log.logid, *offset, *limit, cache_it).await?;
                out.bytes += page.len();
                feed_stdio_chunk(&mut parser, &page);
            }
            out.summary = Some(parser.finish());
            out.log = Some(log.clone());
        }
    }
    out.steps = steps;
    Ok(out)
}

/// `--tests`: the failing tests of each `(builder, build)` given, marked with their known issue,
/// read 4 at a time. A log that cannot be read is skipped with a warning (the report keeps
/// Buildbot's own summary for it).
pub async fn failing_tests(
    ctx: &crate::context::Context,
    targets: Vec<(crate::api::types::BuilderId, String, Build)>,
) -> Result<
    std::collections::HashMap<crate::api::types::BuilderId, Vec<crate::model::summary::FailedTest>>,
    crate::error::Error,
> {
    let live = ctx.live("--tests").map_err(|_| {
        crate::error::Error::usage(
            "--tests reads build logs, which a snapshot does not record",
            Some("drop --tests, or run against the server".to_string()),
        )
    })?;
    let mut tasks = tokio::task::JoinSet::new();
    for (id, name, build) in targets {
        let live = live.clone();
        tasks.spawn(async move { (id, name, read(&live, &build, false).await) });
    }
    let mut out = std::collections::HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, name, result)) = joined else {
            continue;
        };
        match result {
            Ok(TestLog {
                summary: Some(s), ..
            }) => {
                out.insert(
                    id,
                    crate::model::summary::failed_tests(&s, &name, &ctx.known_issues),
                );
            }
            Ok(_) => {}
            Err(e) => crate::stderr::warn(&format!("could not read the test log of {name}: {e}")),
        }
    }
    Ok(out)
}
