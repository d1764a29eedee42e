//! `bbreport failures [BRANCH]`: which tests fail on a branch, where, since when, and why.

use std::collections::BTreeMap;

use clap::Args;
use tokio::task::JoinSet;

use crate::api::types::{Build, BuilderId};
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::{name_glob, one_branch};
use crate::fetch::{Live, Newest, newest_builds, test_log, warn_failed};
use crate::model::failures::{OutsideTests, ParsedBuild, matrix};
use crate::output;
use crate::report::failures::{FailuresInput, FailuresReport};

/// Show the failing tests of a branch: a test × builder matrix with a classification
///
/// Reads the test log (head and tail windows) of every failed or warnings build among each
/// builder's newest --builds builds, then classifies each test: failing on several kinds of
/// builders (likely regression), only on builders sharing a tag or worker (platform or worker
/// issue), on one builder every time (persistent there) or now and then (flaky), or unknown
/// when the data is thin. Costs 3 requests plus about 4 per failed build. Needs a live server.
#[derive(Debug, Args)]
pub struct FailuresArgs {
    /// Branch to examine [default: the config's first branch, else the newest branch]
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// Newest builds read per builder
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub builds: u32,
}

pub async fn run(args: &FailuresArgs, ctx: &Context) -> Result<u8, Error> {
    let live = ctx.live("bbreport failures")?;
    let glob = name_glob(args.name.as_deref())?;
    let (builders, workers) = ctx.source.fleet().await?;
    let (branch, selection) = one_branch(
        &builders,
        &workers,
        &ctx.tag_rules,
        ctx.config.branches.as_deref(),
        args.branch.as_ref(),
        glob.as_ref(),
    )?;
    let ids: Vec<BuilderId> = selection.builders.iter().map(|b| b.builderid).collect();
    let fetched = newest_builds(&ctx.source, &ids, Newest::builds(args.builds as usize)).await?;
    warn_failed(&fetched.failed, ids.len(), "they are marked unknown");

    // Every finished build that says something counts as "read"; failed and warnings builds
    // have their test logs parsed (a passing build's log has no failures to find).
    let mut read: BTreeMap<BuilderId, Vec<u32>> = BTreeMap::new();
    let mut tasks = JoinSet::new();
    // EXCEPTION builds are Buildbot's or the worker's trouble, not a test's: listed apart,
    // from their summary alone.
    let mut outside: Vec<OutsideTests> = fetched
        .by_builder
        .values()
        .flatten()
        .filter(|b| b.complete && b.results == Some(4))
        .map(|b| OutsideTests {
            builderid: b.builderid,
            builder: String::new(),
            number: b.number,
            reason: format!(
                "exception: {}",
                crate::model::summary::failure_reason(&b.state_string)
            ),
        })
        .collect();
    for (id, builds) in &fetched.by_builder {
        for b in builds
            .iter()
            .filter(|b| b.complete && matches!(b.results, Some(0..=2)))
        {
            read.entry(*id).or_default().push(b.number);
            if matches!(b.results, Some(1 | 2)) {
                let live = live.clone();
                let b = b.clone();
                tasks.spawn(async move { parse_build(&live, b).await });
            }
        }
    }
    let mut parsed = Vec::new();
    let mut errors = 0;
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(Parsed::Test(p))) => parsed.push(*p),
            Ok(Ok(Parsed::NoTestStep(o))) => outside.push(o),
            Ok(Err(e)) => {
                errors += 1;
                crate::stderr::warn(&format!("could not read a test log: {e}"));
            }
            Err(_) => errors += 1,
        }
    }
    outside.sort_by_key(|o| (o.builderid, std::cmp::Reverse(o.number)));
    let worker_names: BTreeMap<BuilderId, Vec<String>> = selection
        .builders
        .iter()
        .map(|b| {
            let names = workers
                .iter()
                .filter(|w| w.configured_on.iter().any(|c| c.builderid == b.builderid))
                .map(|w| w.name.clone())
                .collect();
            (b.builderid, names)
        })
        .collect();
    let rows = matrix(
        &selection.builders,
        &worker_names,
        &parsed,
        &read,
        &ctx.known_issues,
    );
    for o in &mut outside {
        o.builder = selection
            .builders
            .iter()
            .find(|b| b.builderid == o.builderid)
            .map(|b| b.name.clone())
            .unwrap_or_default();
    }
    let input = FailuresInput {
        branch: &branch,
        builds_per_builder: args.builds as usize,
        logs_parsed: parsed.len(),
        rows: &rows,
        outside: &outside,
    };
    output::write_report(&FailuresReport::new(input, &ctx.origin()), &ctx.output)?;
    let incomplete = errors > 0 || !fetched.failed.is_empty();
    Ok(if incomplete {
        exit_code::INCOMPLETE
    } else {
        exit_code::OK
    })
}

enum Parsed {
    Test(Box<ParsedBuild>),
    NoTestStep(OutsideTests),
}

async fn parse_build(live: &Live, b: Build) -> Result<Parsed, crate::api::ApiError> {
    let read = test_log::read(live, &b, false).await?;
    let outside = |why: String| {
        Parsed::NoTestStep(OutsideTests {
            builderid: b.builderid,
            builder: String::new(),
            number: b.number,
            reason: why,
        })
    };
    Ok(match (read.summary, read.step) {
        (Some(summary), _) => Parsed::Test(Box::new(ParsedBuild {
            builderid: b.builderid,
            number: b.number,
            summary,
        })),
        (None, Some(step)) => outside(format!("{step} step has no log")),
        (None, None) => outside(crate::model::summary::failure_reason(&b.state_string)),
    })
}
