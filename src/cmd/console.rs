//! `bbreport console`: commits × builders for one branch.

use clap::Args;

use crate::context::{Asked, Context};
use crate::error::Error;
use crate::exit_code;
use crate::fetch::revision::branch_commits;
use crate::fetch::selection::{name_glob, one_branch};
use crate::fetch::{Newest, Source, newest_builds, warn_failed};
use crate::model::classify::Stability;
use crate::model::console::console;
use crate::output;
use crate::report::console::ConsoleReport;

/// Show one branch's newest commits against its builders: which build tested each commit
///
/// One row per commit, newest first (short revision, author, age, subject); one column per
/// builder, numbered, with the names listed below. A commit built together with a newer one
/// (Buildbot builds a burst of pushes once) shows that build as ┆; · means no build tested it.
/// Builders that do not fit the width continue in a further panel.
#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Branch to show [default: the config's first branch, else the newest branch]
    #[arg(value_name = "BRANCH")]
    pub branch: Option<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// Only stable builders
    #[arg(long)]
    pub stable: bool,

    /// Only builders of this tier (1, 2 or 3)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub tier: Option<u8>,

    /// Commits to show [default: 15; a snapshot shows at most as many as it recorded builds]
    #[arg(short = 'l', long = "limit", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: Option<u32>,
}

const DEFAULT_COMMITS: usize = 15;

pub async fn run(args: &ConsoleArgs, ctx: &Context) -> Result<u8, Error> {
    if let Source::Snapshot(s) = &ctx.source
        && !s.has_changes()
    {
        return Err(Error::Snapshot {
            path: s.dir.clone(),
            message: "it has no changes.json (recorded by an older bbreport)".into(),
            hint: Some("record it again with `bbreport --server URL snapshot DIR`".into()),
        });
    }
    let glob = name_glob(args.name.as_deref())?;
    let (builders, workers) = ctx.source.fleet().await?;
    let (branch, mut selection) = one_branch(
        &builders,
        &workers,
        &ctx.tag_rules,
        ctx.config.branches.as_deref(),
        args.branch.as_ref(),
        glob.as_ref(),
    )?;
    selection.builders.retain(|b| {
        (!args.stable || b.class.stability == Stability::Stable)
            && args.tier.is_none_or(|t| b.class.tier == Some(t))
    });
    if selection.builders.is_empty() {
        return Err(Error::usage(
            format!("no builder of branch {branch} matches --stable/--tier/-n"),
            Some("drop a filter, or see `bbreport -q` for the branch's builders".to_string()),
        ));
    }
    // Each build tests at least one commit, so `limit` builds per builder reach back past the
    // newest `limit` commits; a snapshot's recorded depth bounds both, or older rows would read
    // "not tested" for builds it simply did not record.
    let limit = ctx.history_limit(
        args.limit.map_or(DEFAULT_COMMITS, |n| n as usize),
        match args.limit {
            Some(_) => Asked::Flag("--limit"),
            None => Asked::Default,
        },
    )?;
    let ids: Vec<_> = selection.builders.iter().map(|b| b.builderid).collect();
    // The branch's commits are asked by version (a master before 3.9 is read by pages of
    // `changes`): the version is read beside the builds, in the same round.
    let (fetched, ()) = tokio::join!(
        newest_builds(
            &ctx.source,
            &ids,
            Newest::builds(limit).with_revision(true).judging_stale()
        ),
        ctx.source.prefetch_server_version()
    );
    let fetched = fetched?;
    // The commits these builds built tell which git branch the bbreport branch is on.
    let found = branch_commits(&ctx.source, &fetched.by_builder, limit).await?;
    if let (Some(read), Some(g)) = (found.cut_after, &found.git_branch) {
        crate::stderr::warn(&format!(
            "only {} commit{} of {g} among the master's newest {read} changes, fewer than the \
             {limit} asked for: a Buildbot before 3.9 is read by pages, newest first, and older \
             changes were not read",
            found.commits.len(),
            if found.commits.len() == 1 { "" } else { "s" }
        ));
    }
    let (git_branch, commits) = (found.git_branch, found.commits);
    let stale = ctx
        .source
        .stale_builds(
            &fetched.by_builder,
            ctx.config.stale_rule(),
            ctx.data_time(),
        )
        .await?;
    let model = console(
        &branch,
        git_branch,
        &commits,
        &selection.builders,
        &fetched.by_builder,
        &stale,
    );
    warn_failed(&fetched.failed, ids.len(), "they are marked unknown");
    if model.commits.is_empty() {
        crate::stderr::warn(&format!(
            "no commit of branch {branch} is known: its builds have no changes the master knows"
        ));
    }
    output::write_report(&ConsoleReport::new(&model, &ctx.origin()), &ctx.output)?;
    Ok(if fetched.failed.is_empty() {
        exit_code::OK
    } else {
        exit_code::INCOMPLETE
    })
}
