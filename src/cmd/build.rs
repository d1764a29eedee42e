//! `bbreport build BUILDER [NUMBER]`: one build in full.

use std::collections::HashMap;

use clap::Args;

use crate::api::types::Build;
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::find_builder;
use crate::fetch::{Newest, build_detail, newest_builds_of, test_log};
use crate::model::build::{FAILED_STEP_TAIL_LINES, failed_step};
use crate::model::stale;
use crate::output;
use crate::report::build::{BuildInput, BuildReport, FailedStepInput, TestLogInput};

/// Show one build in full: its steps, the test step's parsed summary and the relevant lines
///
/// Only the head and the tail of the test log are read (about 500 lines, ~64 KB), never the
/// raw log of a big build, unless --full-log asks. When a step other than the test step made
/// the build fail (compile, configure…), the last 40 lines of its log are shown too. On a
/// snapshot (--snapshot DIR): its failed, warnings and exception builds, whose steps and test
/// log windows it recorded.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Builder name (case-insensitive) or id
    #[arg(value_name = "BUILDER")]
    pub builder: String,

    /// Build number [default: the builder's newest build]
    #[arg(value_name = "NUMBER")]
    pub number: Option<u32>,

    /// Read the whole test log instead of its head and tail
    #[arg(long)]
    pub full_log: bool,
}

pub async fn run(args: &BuildArgs, ctx: &Context) -> Result<u8, Error> {
    let live = ctx.live("bbreport build")?;
    let builders = ctx.source.builders().await?;
    let builder = find_builder(&builders, &args.builder)?;
    let Some(build) = build_detail::build(live, builder.builderid, args.number).await? else {
        return Err(Error::usage(
            match args.number {
                Some(n) => format!("builder '{}' has no build {n}", builder.name),
                None => format!("builder '{}' has no builds", builder.name),
            },
            Some(format!(
                "see its builds with: bbreport -v -n '{}'",
                builder.name
            )),
        ));
    };
    let read = test_log::read(live, &build, args.full_log).await?;
    let test_log = read.step.as_deref().map(|step| TestLogInput {
        step,
        log: read.log.as_ref(),
        windows: &read.windows,
        bytes: read.bytes,
        summary: read.summary.as_ref(),
        search: read.search.as_ref(),
    });
    let failed = failed_step(&read.steps);
    let tail = match failed {
        Some(step) => {
            Some(build_detail::log_tail(live, &build, step, FAILED_STEP_TAIL_LINES).await?)
        }
        None => None,
    };
    let failed_step = failed.zip(tail.as_ref()).map(|(step, t)| FailedStepInput {
        step,
        log: t.log.as_ref(),
        window: t.window,
        bytes: t.bytes,
        lines: &t.lines,
    });
    // A running build: is it stale? Its builder's recent builds give the usual build time, and
    // the masters list whether its master is still there (2 requests, only for running builds).
    let stale = if stale::is_incomplete(&build) {
        let history = newest_builds_of(
            &ctx.source,
            builder.builderid,
            Newest::builds(10).judging_stale(),
        )
        .await?;
        let mut builds: Vec<Build> = history
            .into_iter()
            .filter(|b| b.buildid != build.buildid)
            .collect();
        builds.push(build.clone());
        let by_builder = HashMap::from([(builder.builderid, builds)]);
        ctx.source
            .stale_builds(&by_builder, ctx.config.stale_rule(), ctx.data_time())
            .await?
            .get(build.buildid)
    } else {
        None
    };
    let input = BuildInput {
        builder,
        build: &build,
        steps: &read.steps,
        test_log,
        failed_step,
        stale,
    };
    output::write_report(&BuildReport::new(input, &ctx.origin()), &ctx.output)?;
    Ok(exit_code::OK)
}
