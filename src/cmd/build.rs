//! `bbreport build BUILDER [NUMBER]`: one build in full.

use clap::Args;

use crate::api::build_detail;
use crate::api::types::Builder;
use crate::api::{HttpClient, Source};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::model::build::{stdio_log, test_step, windows};
use crate::model::regrtest::parse_stdio_chunks;
use crate::output::{self, Format};
use crate::render::build::{BuildReport, TestLogReport};
use crate::render::glyphs_for;

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
    let Source::Http(client) = &ctx.source else {
        let Source::Snapshot(s) = &ctx.source else {
            unreachable!("two sources")
        };
        return Err(Error::Snapshot {
            path: s.dir.clone(),
            message: "a snapshot records no build steps or logs".into(),
            hint: Some("run `bbreport build` against the server (--server URL)".into()),
        });
    };
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
    let steps = build_detail::steps(client, build.buildid).await?;
    let test_log = match test_step(&steps) {
        Some(step) => Some(read_test_log(client, step, args.full_log).await?),
        None => None,
    };
    let report = BuildReport {
        builder,
        build: &build,
        steps: &steps,
        test_log: test_log.as_ref(),
    };
    let glyphs = glyphs_for(!output::utf8_locale());
    output::write_stdout(|out| match ctx.output.format {
        Format::Json => crate::render::build::render_json(out, &report, &ctx.origin()),
        Format::Markdown => {
            crate::render::build::render_markdown(out, &report, &ctx.server, glyphs)
        }
        Format::Table | Format::Plain => {
            crate::render::build::render_text(out, &report, &ctx.server, glyphs, ctx.output.styles)
        }
    })?;
    Ok(exit_code::OK)
}

async fn read_test_log(
    client: &HttpClient,
    step: &crate::api::types::Step,
    full: bool,
) -> Result<TestLogReport, Error> {
    let logs = build_detail::logs(client, step.stepid).await?;
    let Some(log) = stdio_log(&logs) else {
        return Ok(TestLogReport {
            step: step.name.clone(),
            log: None,
            windows: Vec::new(),
            bytes: 0,
            summary: None,
        });
    };
    let mut texts = Vec::new();
    let wins = windows(log.num_lines, full);
    for (offset, limit) in &wins {
        texts.push(build_detail::log_lines(client, log.logid, *offset, *limit).await?);
    }
    let bytes = texts.iter().map(String::len).sum();
    let summary = parse_stdio_chunks(texts.iter().map(String::as_str));
    Ok(TestLogReport {
        step: step.name.clone(),
        log: Some(log.clone()),
        windows: wins,
        bytes,
        summary: Some(summary),
    })
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
