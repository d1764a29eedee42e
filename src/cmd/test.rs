//! `bbreport test NAME [BRANCH]...`: one test's history across the builders.

use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::test_health::{DAYS_MAX_BUILDS, Window, summary_of};
use crate::model::test_health::{Cell, health as all_tests, one_test};
use crate::model::test_history::{NameHint, dedup_messages, messages_for, name_hint, repro_for};
use crate::output;
use crate::report::test_health::WindowEntry;
use crate::report::test_history::{TestInput, TestReport};

/// Show one test's history: a timeline per builder, its failure messages, how to reproduce it
///
/// For each builder where the test failed or passed on re-run in the window: a timeline of its
/// builds in the waterfall's glyphs (passed, failed, passed on re-run, not run: a failure
/// outside the tests or an infrastructure failure), how many failures were flaky, and since
/// when it fails there. Then the failure messages the logs show for it (unittest's FAIL/ERROR
/// banners and exception lines, deduplicated), and the seed and commands that reproduce its
/// latest failure (as `repro` gives them). Reads the same builds and logs as `tests` (cached
/// alike). The window and branches are `tests`' (--days 7 by default).
#[derive(Debug, Args)]
pub struct TestArgs {
    /// The test (a regrtest test file name, e.g. test_asyncio.test_tasks or test_os)
    #[arg(value_name = "NAME")]
    pub test: String,

    /// Branches to cover [default: the config's branches, else every branch but PR]
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    #[command(flatten)]
    pub window: super::args::HealthWindow,
}

pub async fn run(args: &TestArgs, ctx: &Context) -> Result<u8, Error> {
    let test = args.test.trim();
    if test.is_empty() || test.chars().any(char::is_whitespace) {
        return Err(Error::usage(
            format!("'{}' is not a test name", args.test),
            Some("name one regrtest test, e.g. `bbreport test test_os`".to_string()),
        ));
    }
    let (selection, read) = args
        .window
        .read(
            ctx,
            "bbreport test",
            &args.branch,
            args.name.as_deref(),
            "their builds are missing",
        )
        .await?;
    let window = args.window.window();
    let health = one_test(&selection.builders, &read.builds, test, &ctx.known_issues);

    let mut failed_builds: Vec<(u32, u32, Option<i64>)> = health
        .iter()
        .flat_map(|h| &h.builders)
        .flat_map(|b| {
            b.timeline
                .iter()
                .filter(|t| matches!(t.cell, Cell::Failed | Cell::PassedOnRerun))
                .map(|t| (b.builderid, t.number, t.started_at))
        })
        .collect();
    // Newest first: the latest failure leads, and messages are counted over every failure.
    failed_builds.sort_by_key(|(id, n, at)| std::cmp::Reverse((*at, *n, *id)));
    let messages = dedup_messages(
        failed_builds
            .iter()
            .filter_map(|(id, n, _)| summary_of(&read.builds, *id, *n))
            .map(|s| messages_for(s, test)),
    );
    let plan = failed_builds.iter().find_map(|(id, n, _)| {
        let s = summary_of(&read.builds, *id, *n)?;
        repro_for(s, test).map(|p| (*id, *n, p))
    });
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
    let window = WindowEntry {
        days,
        builds,
        since: days.map(|d| ctx.data_time() - i64::from(d) * 86_400),
        cut_builders: cut,
        max_builds: days.map(|_| DAYS_MAX_BUILDS),
    };
    let input = TestInput {
        test,
        branches: &selection.branches,
        window: &window,
        builders_covered: selection.builders.len(),
        health: health.as_ref(),
        messages: &messages,
        repro: plan.as_ref().map(|(id, n, p)| (*id, *n, p)),
    };
    crate::stderr::clear_progress();
    output::write_report(&TestReport::new(input, &ctx.origin()), &ctx.output)?;
    if input.health.is_none() {
        // Computed from the builds already read: no request.
        let failing: Vec<String> = all_tests(&selection.builders, &read.builds, &ctx.known_issues)
            .0
            .into_iter()
            .map(|h| h.test)
            .collect();
        match name_hint(test, &failing) {
            Some(NameHint::Module { module }) => crate::stderr::note(&format!(
                "`bbreport test` takes a regrtest test name, a module such as test_os or \
                 test_asyncio.test_tasks, not a class or method: try `bbreport test {module}`"
            )),
            Some(NameHint::Close(names)) => {
                crate::stderr::note(&format!("did you mean {}?", names.join(", ")));
            }
            None => {}
        }
    }
    Ok(if read.unreadable > 0 || !read.failed.is_empty() {
        exit_code::INCOMPLETE
    } else {
        exit_code::OK
    })
}
