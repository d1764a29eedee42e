//! `bbreport tests [BRANCH]...`: test health across the fleet: which tests fail or are
//! re-run, how often, where, since when; infrastructure failures counted apart.

use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::test_health::{DAYS_MAX_BUILDS, Window};
use crate::model::test_health::health;
use crate::output;
use crate::report::test_health::{TestsInput, TestsReport};

/// Show which tests failed or were re-run across the builders, and how often
///
/// For every test that failed or passed on re-run in the window: how many builds failed it,
/// how many of those were flaky (it passed on re-run, or the builder's next build that ran it
/// passed it), the builders affected and the tags they all share (refleak, nogil…), first and
/// last seen, the known issue it matches, and a class: persistent (failing the newest 2 builds
/// or more in a row on some builder), flaky, or new. Sorted by failures. Builds that failed for
/// no test's fault (an exception in the test step, a full disk, a lost worker, Buildbot's
/// no-output kill, a deleted or unreadable log) are counted apart. Only FAILURE, WARNINGS and
/// EXCEPTION builds have their test log read, each once; finished builds' logs and their
/// parsed summaries are cached, so a second run reads no log again. Covers the BRANCH
/// arguments, else the config's branches, else every branch but PR. `--offline` answers from
/// the cache.
#[derive(Debug, Args)]
pub struct TestsArgs {
    /// Branches to cover [default: the config's branches, else every branch but PR]
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    #[command(flatten)]
    pub window: super::args::HealthWindow,
}

pub async fn run(args: &TestsArgs, ctx: &Context) -> Result<u8, Error> {
    let (selection, read) = args
        .window
        .read(
            ctx,
            "bbreport tests",
            &args.branch,
            args.name.as_deref(),
            "their tests are missing",
        )
        .await?;
    let window = args.window.window();
    let (tests, infra) = health(&selection.builders, &read.builds, &ctx.known_issues);
    let cut: Vec<String> = selection
        .builders
        .iter()
        .filter(|b| read.cut.contains(&b.builderid))
        .map(|b| b.name.clone())
        .collect();
    let (days, builds) = match window {
        Window::Days(d) => (Some(d), None),
        Window::Builds(n) => (None, Some(n)),
    };
    let input = TestsInput {
        branches: &selection.branches,
        days,
        builds_per_builder: builds,
        since: days.map(|d| ctx.data_time() - i64::from(d) * 86_400),
        max_builds: days.map(|_| DAYS_MAX_BUILDS),
        cut_builders: &cut,
        builders: selection.builders.len(),
        builds: read.builds.len(),
        logs_read: read.logs_read,
        logs_unreadable: read.unreadable,
        tests: &tests,
        infra: &infra,
    };
    crate::stderr::clear_progress();
    output::write_report(&TestsReport::new(input, &ctx.origin()), &ctx.output)?;
    Ok(if read.unreadable > 0 || !read.failed.is_empty() {
        exit_code::INCOMPLETE
    } else {
        exit_code::OK
    })
}
