//! `bbreport build BUILDER [NUMBER]`: one build in full.

use clap::Args;

use crate::api::build_detail;
use crate::api::types::Builder;
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::output;
use crate::report::build::{BuildInput, BuildReport, TestLogInput};

/// Show one build in full: its steps, the test step's parsed summary and the relevant lines
///
/// Only the head and the tail of the test log are read (about 500 lines, ~64 KB), never the
/// raw log of a big build, unless --full-log asks. Needs a live server: snapshots record no
/// steps or logs.
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
    let client = ctx.live_client("bbreport build")?;
    let builders = ctx.source.builders().await?;
    let builder = find_builder(&builders, &args.builder)?;
    let Some(build) = build_detail::build(client, builder.builderid, args.number).await? else {
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
    let read = super::test_logs::read(client, &build, args.full_log).await?;
    let test_log = read.step.as_deref().map(|step| TestLogInput {
        step,
        log: read.log.as_ref(),
        windows: &read.windows,
        bytes: read.bytes,
        summary: read.summary.as_ref(),
    });
    let input = BuildInput {
        builder,
        build: &build,
        steps: &read.steps,
        test_log,
    };
    output::write_report(&BuildReport::new(input, &ctx.origin()), &ctx.output)?;
    Ok(exit_code::OK)
}

/// By id, else by exact name ignoring case; an unknown name lists the names that contain it.
pub fn find_builder<'a>(builders: &'a [Builder], wanted: &str) -> Result<&'a Builder, Error> {
    if let Ok(id) = wanted.parse::<u32>()
        && let Some(b) = builders.iter().find(|b| b.builderid == id)
    {
        return Ok(b);
    }
    if let Some(b) = builders
        .iter()
        .find(|b| b.name.eq_ignore_ascii_case(wanted))
    {
        return Ok(b);
    }
    let needle = wanted.to_lowercase();
    let close: Vec<&str> = builders
        .iter()
        .filter(|b| b.name.to_lowercase().contains(&needle))
        .map(|b| b.name.as_str())
        .take(5)
        .collect();
    let hint = if close.is_empty() {
        "give the full builder name as `bbreport -q` prints it, or its id".to_string()
    } else {
        format!("did you mean: {}", close.join(", "))
    };
    Err(Error::usage(
        format!("no builder named '{wanted}'"),
        Some(hint),
    ))
}
