//! `bbreport repro BUILDER NUMBER`: how to reproduce a failed test run locally.

use clap::Args;

use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::find_builder;
use crate::fetch::{build_detail, test_log};
use crate::model::repro::plan;
use crate::output;
use crate::report::repro::{ReproInput, ReproReport};

/// Print the commands that reproduce a build's test failure locally
///
/// The buildbot's own regrtest command with its random seed; for a sequential run (one worker
/// or none) the exact order the tests ran in up to the failure, as a --fromfile list, and its
/// two halves for bisecting an ordering-dependent failure; for a -jN run, why the order does not
/// carry over and how to bisect the failing test instead. Reads the whole test log (the run
/// order is spread over it). Needs a live server.
#[derive(Debug, Args)]
pub struct ReproArgs {
    /// Builder name (case-insensitive) or id
    #[arg(value_name = "BUILDER")]
    pub builder: String,

    /// Build number
    #[arg(value_name = "NUMBER")]
    pub number: u32,
}

pub async fn run(args: &ReproArgs, ctx: &Context) -> Result<u8, Error> {
    let live = ctx.live("bbreport repro")?;
    let builders = ctx.source.builders().await?;
    let builder = find_builder(&builders, &args.builder)?;
    let Some(build) = build_detail::build(live, builder.builderid, Some(args.number)).await? else {
        return Err(Error::usage(
            format!("builder '{}' has no build {}", builder.name, args.number),
            None,
        ));
    };
    let no_plan = |why: String| {
        Error::usage(
            format!(
                "nothing to reproduce in {} #{}: {why}",
                builder.name, build.number
            ),
            None,
        )
    };
    // The whole log: the run order is spread over it.
    let read = test_log::read(live, &build, true).await?;
    let Some(summary) = read.summary else {
        return Err(no_plan(match read.step {
            Some(step) => format!("the {step} step has no stdio log"),
            None => "it has no test step".into(),
        }));
    };
    let plan =
        plan(&summary).ok_or_else(|| no_plan("no test failed, timed out or crashed".into()))?;
    let input = ReproInput {
        builder,
        build: &build,
        plan: &plan,
    };
    output::write_report(&ReproReport::new(input, &ctx.origin()), &ctx.output)?;
    Ok(exit_code::OK)
}
