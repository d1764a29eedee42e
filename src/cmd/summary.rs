//! The default command: per-branch builder status, the old `bbreport -q 3.x`.

use clap::Args;

use crate::context::{Asked, Context, NoCache};
use crate::error::Error;
use crate::exit_code;
use crate::fetch::selection::{fetch_summary, name_glob};
use crate::fetch::{Newest, Source, test_log, warn_failed};
use crate::model::digest::{DigestState, digest};
use crate::model::stale::StaleCheck;
use crate::model::summary::StatusWindow;
use crate::output;
use crate::report::digest::DigestReport;
use crate::report::summary::{BuildLabel, SummaryLayout, SummaryReport};

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Branches to report (e.g. 3.x 3.14 PR); all branches when none is given
    ///
    /// Matched case-insensitively against the branches of the server's active builders. `all`
    /// means every branch. The config's `branches` applies when neither BRANCH nor -b is given.
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    /// Comma-separated branches, as an option (e.g. -b 3.x,3.14)
    #[arg(
        short = 'b',
        long = "branches",
        value_name = "LIST",
        value_delimiter = ','
    )]
    pub branches: Vec<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// One line per builder with the reason of its last failure (-q); -qq groups builders by
    /// status with each host's branches on one line, judged by their latest build only
    #[arg(short = 'q', long = "quiet", action = clap::ArgAction::Count)]
    pub quiet: u8,

    /// Builds shown and judged per builder [default: 4; 2 with -qq; or the config's `limit`]
    #[arg(short = 'l', long = "builds", visible_alias = "limit", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub builds: Option<u32>,

    /// Also list successful builds under each builder, and print request statistics on stderr
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,

    /// What identifies a build in the lists: its number, or the revision it built
    ///
    /// `revision` also asks the server for each build's got_revision property.
    #[arg(long = "id", value_name = "KIND", default_value = "build")]
    pub id: BuildLabel,

    /// Also read each failing builder's newest failed build's test log and name its failing
    /// tests, marked with their known issue (about 3 requests per failing builder; from a snapshot, the logs it recorded)
    #[arg(long)]
    pub tests: bool,

    /// Print what changed since the previous run of the same report instead of the report
    ///
    /// New failures, fixed builders, builders gone offline or back online, and those still
    /// failing (since when). The state is kept in the cache, per server and per selection
    /// (branches and -n). A builder's health is its newest finished build that passed or failed.
    #[arg(long)]
    pub since_last_run: bool,

    /// With --since-last-run: print nothing when nothing changed (exit 0), so cron mails only news
    #[arg(long, requires = "since_last_run")]
    pub only_changes: bool,
}

impl SummaryArgs {
    /// Whether any summary-only argument was given (clap accepts them beside a subcommand).
    pub fn is_set(&self) -> bool {
        !self.branch.is_empty()
            || !self.branches.is_empty()
            || self.name.name.is_some()
            || self.quiet > 0
            || self.since_last_run
            || self.builds.is_some()
            || self.verbose
            || self.id != BuildLabel::Number
            || self.tests
    }
}

pub async fn run(args: &SummaryArgs, ctx: &Context) -> Result<u8, Error> {
    let limit = args
        .builds
        .map(|l| l as usize)
        .or(ctx.config.limit)
        .unwrap_or(if args.quiet >= 2 { 2 } else { 4 });
    if limit == 0 {
        return Err(Error::usage("limit must be at least 1", None));
    }
    let asked = match (args.builds, ctx.config.limit) {
        (Some(_), _) => Asked::Flag("--builds"),
        (None, Some(_)) => Asked::Config {
            key: "limit",
            flag: "--builds",
        },
        (None, None) => Asked::Default,
    };
    let wanted = limit;
    let limit = ctx.history_limit(limit, asked)?;
    let shallow = (limit < wanted).then_some(crate::report::release::Shallow {
        builds_per_builder: limit,
        default: wanted,
    });
    let branches = requested_branches(args, ctx);
    let glob = name_glob(args.name.as_deref())?;

    let window = if args.quiet >= 2 {
        StatusWindow::LatestOnly
    } else {
        StatusWindow::AllShown
    };
    let want = Newest::builds(limit).with_revision(args.id == BuildLabel::Revision);
    let fetched = fetch_summary(
        &ctx.source,
        &ctx.tag_rules,
        &branches,
        glob.as_ref(),
        want,
        window,
        StaleCheck {
            rule: ctx.config.stale_rule(),
            as_of: ctx.data_time(),
        },
    )
    .await?;
    let untagged = fetched.untagged_left_out;
    let (mut summary, recent, ids) = (fetched.summary, fetched.recent, fetched.ids);
    let unread_logs = if args.tests {
        test_log::attach_to_summary(
            &ctx.source,
            &ctx.known_issues,
            &mut summary,
            &recent.by_builder,
        )
        .await?
    } else {
        0
    };

    // Builders whose builds, or test logs asked for, could not be read: incomplete.
    let code = if recent.failed.is_empty() && unread_logs == 0 {
        exit_code::OK
    } else {
        exit_code::INCOMPLETE
    };
    warn_failed(&recent.failed, ids.len(), "they are marked unknown");

    if args.since_last_run {
        return since_last_run(ctx, args, &branches, &summary, code);
    }

    let layout = SummaryLayout {
        quiet: args.quiet,
        verbose: args.verbose,
        label: args.id,
    };
    let mut report = SummaryReport::new(&summary, &ctx.origin(), layout);
    report.shallow = shallow;
    output::write_report(&report, &ctx.output)?;
    if args.verbose && untagged > 0 {
        crate::stderr::note(&format!(
            "{untagged} active builder{} no branch tag and {} not shown; `bbreport no-branch` lists them",
            if untagged == 1 { " has" } else { "s have" },
            if untagged == 1 { "is" } else { "are" }
        ));
    }
    if args.verbose && !ctx.show_stats {
        crate::stderr::line(&ctx.stats_line());
    }
    Ok(code)
}

/// `--since-last-run`: compare with the state the previous run of this selection saved in the
/// cache, print the changes, save the new state.
fn since_last_run(
    ctx: &Context,
    args: &SummaryArgs,
    branches: &[String],
    summary: &crate::model::summary::Summary,
    code: u8,
) -> Result<u8, Error> {
    let cache = state_cache(ctx)?;
    let mut key_branches: Vec<String> = branches.iter().map(|b| b.to_lowercase()).collect();
    key_branches.sort();
    let key = format!(
        "digest:{}|{}",
        key_branches.join(","),
        args.name.as_deref().unwrap_or("")
    );
    let previous: Option<DigestState> = cache
        .document(&key)
        .and_then(|(body, _)| serde_json::from_str(&body).ok());
    let d = digest(previous.as_ref(), summary, ctx.now);
    // Saved before anything is printed: changes reported but not remembered would be
    // reported again by the next run.
    if let Ok(body) = serde_json::to_string(&d.state)
        && !cache.put_document(&key, &body, ctx.now)
    {
        return Err(Error::LocalFiles {
            message: format!(
                "--since-last-run cannot save its state: the cache {} failed (see the warning above)",
                cache.path().display()
            ),
            hint: cache_hint(cache.path()),
        });
    }
    let nothing_new = d.changes.is_empty();
    if args.only_changes && nothing_new {
        return Ok(code);
    }
    output::write_report(&DigestReport::new(&d, &ctx.origin()), &ctx.output)?;
    Ok(code)
}

/// The cache `--since-last-run` keeps its state in, or why there is none: a usage error when
/// the command line ruled it out, an error naming the file (exit 9) when it is unusable.
fn state_cache(ctx: &Context) -> Result<&crate::cache::Cache, Error> {
    let not_used = |why: &str, hint: &str| {
        Error::usage(
            format!("--since-last-run keeps its state in the cache, and {why}"),
            Some(hint.to_string()),
        )
    };
    let live = match &ctx.source {
        Source::Snapshot(_) => {
            return Err(not_used(
                "a snapshot run has none",
                "drop --snapshot (or BBREPORT_SNAPSHOT)",
            ));
        }
        Source::Live(live) if live.is_offline() => {
            return Err(not_used("--offline does not write it", "drop --offline"));
        }
        Source::Live(live) => live,
    };
    if let Some(cache) = live.cache() {
        return Ok(cache);
    }
    Err(match (&ctx.cache_unavailable, live.cache_file()) {
        (Some(NoCache::Unusable { path, message }), _) => Error::LocalFiles {
            message: format!(
                "--since-last-run keeps its state in the cache, and the cache {} cannot be used: {message}",
                path.display()
            ),
            hint: cache_hint(path),
        },
        (Some(NoCache::NoDirectory), _) => Error::LocalFiles {
            message:
                "--since-last-run keeps its state in the cache, and no cache directory is known"
                    .into(),
            hint: "set BBREPORT_CACHE_DIR (or XDG_CACHE_HOME, or HOME) to a writable directory"
                .into(),
        },
        (None, Some(path)) => Error::LocalFiles {
            message: format!(
                "--since-last-run keeps its state in the cache, and the cache {} failed (see the warning above)",
                path.display()
            ),
            hint: cache_hint(path),
        },
        (None, None) => not_used("--no-cache turns it off", "drop --no-cache"),
    })
}

/// What to do about a cache file that cannot be written.
fn cache_hint(path: &std::path::Path) -> String {
    let dir = path.parent().unwrap_or(path);
    format!(
        "make {} a writable directory, or set BBREPORT_CACHE_DIR to one",
        dir.display()
    )
}

pub fn requested_branches(args: &SummaryArgs, ctx: &Context) -> Vec<String> {
    let mut asked: Vec<String> = args
        .branch
        .iter()
        .chain(&args.branches)
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    if asked.is_empty() {
        asked = ctx.config.branches.clone().unwrap_or_default();
    }
    if asked.iter().any(|b| b.eq_ignore_ascii_case("all")) {
        return Vec::new();
    }
    asked
}
