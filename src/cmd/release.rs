//! `bbreport release`: a verdict per branch a release manager can script, with the evidence.

use std::collections::HashMap;

use clap::{Args, ValueEnum};
use tokio::task::JoinSet;

use crate::api::types::{Build, BuilderId};
use crate::context::{Asked, Context};
use crate::error::Error;
use crate::exit_code;
use crate::fetch::revision;
use crate::fetch::selection::release_selection;
use crate::fetch::{
    Newest, RecentBuilds, Source, newest_builds, newest_builds_of, test_log, warn_failed,
};
use crate::model::release::{
    AtRevision, BranchVerdict, BuilderHistory, DASHBOARD_DEPTH, Role, Rule, history_at,
    judge_branch, judge_builder, needs_deeper_history, overall, role,
};
use crate::model::select::Selection;
use crate::output;
use crate::report::release::{ReleaseReport, RevisionEntry, Shallow};

/// Judge whether branches can be released: a verdict per branch, with its evidence
///
/// Verdicts: Releasable (exit 0), Unreleasable (10), Concern (11), Unknown or N/A (12); with
/// several branches the exit code is the worst one's. Only stable tier-1/2 builders can block a
/// release; stable tier-3/tierless failures are Concerns; unstable builders and disconnected
/// workers never change a verdict (workers are listed under worker health).
///
/// Rules: `persistent` (default) blocks on a tier-1/2 builder whose last N (--threshold, 2)
/// SUCCESS/WARNINGS/FAILURE builds all failed, calls a single fresh failure a Concern awaiting
/// the next build, and says Unknown when a blocking builder has no completed build or its data
/// could not be read. `dashboard` applies buildbot.python.org's release status dashboard exactly:
/// the latest such build decides, any tier-1/2 failure is Unreleasable, no builds is N/A.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Branches to judge; default every branch with active builders except PR, newest first
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    /// Rule deciding the verdict [default: persistent, or the config's release.rule]
    #[arg(long, value_name = "RULE")]
    pub rule: Option<RuleChoice>,

    /// Consecutive failed builds that make a blocking builder's failure persistent
    /// [default: 2, or the config's release.threshold]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=50))]
    pub threshold: Option<u32>,

    /// Builds read per builder in the first, bulk pass [default: 10, or release.builds]
    ///
    /// Failing builders whose streak goes back further are read deeper, one request each, up
    /// to 200 builds (the dashboard's depth) to find the breaking build. A snapshot holds what
    /// it recorded: more asked for exits 7; a default beyond it is judged from what it holds,
    /// and the report says so.
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", value_parser = clap::value_parser!(u32).range(2..=200))]
    pub builds: Option<u32>,

    /// Judge one commit: each builder's history up to its build of REVISION (a full or
    /// abbreviated git hash, 4+ hex digits)
    ///
    /// Blocking builders that have not finished a build of it make the verdict Unknown and are
    /// named. Without BRANCH, the branches whose builders built it are judged; with BRANCH, a
    /// commit of another branch is a usage error (exit 2) that names its branch.
    #[arg(long, value_name = "REVISION")]
    pub at: Option<String>,

    /// Also read the latest build's test log of each builder that moves a verdict and name
    /// its failing tests, marked with their known issue (about 3 requests each; from a snapshot, the logs it recorded)
    #[arg(long)]
    pub tests: bool,

    /// Name every disconnected builder under worker health, one per line
    ///
    /// By default they are counted and only the release-blocking ones are named.
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

impl ReleaseArgs {
    /// `release --at REVISION [BRANCH]...` with every other option at its default: how
    /// `watch --until-complete` ends.
    pub fn at(branches: Vec<String>, revision: String) -> ReleaseArgs {
        ReleaseArgs {
            branch: branches,
            rule: None,
            threshold: None,
            builds: None,
            at: Some(revision),
            tests: false,
            verbose: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleChoice {
    /// Block on persistent tier-1/2 failures only (the devguide's rule)
    Persistent,
    /// buildbot.python.org's release status dashboard, exactly
    Dashboard,
}

const DEFAULT_BUILDS: usize = 10;

pub async fn run(args: &ReleaseArgs, ctx: &Context) -> Result<u8, Error> {
    let rule = resolve_rule(args, ctx)?;
    let (wanted, asked) = match (args.builds, ctx.config.release.builds) {
        (Some(n), _) => (n as usize, Asked::Flag("--builds")),
        (None, Some(n)) => (
            n,
            Asked::Config {
                key: "release.builds",
                flag: "--builds",
            },
        ),
        (None, None) => (DEFAULT_BUILDS, Asked::Default),
    };
    // A snapshot holds what it holds: more asked for explicitly is an error; a default beyond
    // it is judged from what it holds, and the report says so. Streaks that reach past it are
    // reported open-ended.
    let depth = ctx.history_limit(wanted, asked)?;
    let shallow = (depth < wanted).then_some(Shallow {
        builds_per_builder: depth,
        default: wanted,
    });

    // `--at` looks the commit up in `changes`, asked by version (a master before 3.9 is read
    // by pages): the version is read beside the lists, in the same round.
    let (fleet, ()) = tokio::join!(ctx.source.fleet(), async {
        if args.at.is_some() {
            ctx.source.prefetch_server_version().await;
        }
    });
    let (builders, workers) = fleet?;
    let at = match &args.at {
        Some(rev) => Some(revision::resolve(&ctx.source, rev).await?),
        None => None,
    };
    if let (Some(at), Some(rev)) = (&at, &args.at)
        && let Some(read) = at.unique_among
    {
        crate::stderr::note(&format!(
            "'{rev}' matches one commit among the master's newest {read} changes; older ones \
             were not read (a Buildbot before 3.9 is read by pages): give more hex digits to be sure"
        ));
    }
    let branches = match &at {
        Some(at) if args.branch.is_empty() => {
            revision::branches_of_revision(&builders, &workers, &ctx.tag_rules, at)?
        }
        _ => args.branch.clone(),
    };
    let selection = release_selection(&builders, &workers, &ctx.tag_rules, &branches)?;
    if let Some(at) = &at
        && !args.branch.is_empty()
    {
        revision::check_branches(&builders, &workers, &ctx.tag_rules, at, &selection.branches)?;
    }
    let ids: Vec<BuilderId> = selection.builders.iter().map(|b| b.builderid).collect();
    let mut fetched =
        match newest_builds(&ctx.source, &ids, Newest::builds(depth).judging_stale()).await {
            Ok(r) => r,
            // Nothing could be read: every branch is Unknown, which the verdict must say.
            Err(e) => RecentBuilds {
                by_builder: HashMap::new(),
                failed: ids.iter().map(|id| (*id, e.to_string())).collect(),
                ..RecentBuilds::default()
            },
        };
    let deep = deepen(ctx, &selection, &mut fetched, depth).await;
    // Stale running builds (the window's, and those of the revision `--at` judges) are no
    // build under way: one masters request, only when some build is running.
    let mut judged = fetched.by_builder.clone();
    if let Some(at) = &at {
        for b in &at.builds {
            let list = judged.entry(b.builderid).or_default();
            if !list.iter().any(|x| x.buildid == b.buildid) {
                list.push(b.clone());
            }
        }
    }
    let stale = ctx
        .source
        .stale_builds(&judged, ctx.config.stale_rule(), ctx.data_time())
        .await?;
    // A stale build of the revision will not finish: the builder has not built it.
    let at_builds: Vec<Build> = at
        .as_ref()
        .map(|at| {
            at.builds
                .iter()
                .filter(|b| stale.get(b.buildid).is_none())
                .cloned()
                .collect()
        })
        .unwrap_or_default();

    let mut verdicts: Vec<BranchVerdict> = Vec::new();
    for branch in &selection.branches {
        let judgements = selection
            .builders
            .iter()
            .filter(|b| &b.class.branch == branch)
            .map(|b| {
                let builds: &[Build] = fetched
                    .by_builder
                    .get(&b.builderid)
                    .map_or(&[], Vec::as_slice);
                let asked = if deep.contains(&b.builderid) {
                    DASHBOARD_DEPTH
                } else {
                    depth
                };
                // Fewer builds than asked: that is the builder's whole history (for a snapshot,
                // `depth` is already capped at what it recorded).
                let complete = builds.len() < asked;
                let (builds, at_state) = match &at {
                    Some(_) => history_at(builds, &at_builds, b.builderid),
                    None => (builds.to_vec(), AtRevision::Newest),
                };
                let history = BuilderHistory {
                    builder: b,
                    builds: &builds,
                    complete,
                    error: fetched.failed.get(&b.builderid).map(String::as_str),
                    at: at_state,
                    stale: &stale,
                };
                judge_builder(&history, rule)
            })
            .collect();
        verdicts.push(judge_branch(branch, rule, judgements));
    }
    warn_failed(
        &fetched.failed,
        ids.len(),
        "verdicts that need them are Unknown",
    );

    let unread_logs = if args.tests {
        test_log::attach_to_verdicts(
            &ctx.source,
            &ctx.known_issues,
            &mut verdicts,
            &fetched.by_builder,
        )
        .await?
    } else {
        0
    };

    let worst = overall(&verdicts);
    // A verdict's code says more than "incomplete": test logs are read for the builders that
    // move a verdict, so an unread one leaves a Releasable verdict only in principle.
    let code = match worst {
        crate::model::release::Verdict::Releasable if unread_logs > 0 => exit_code::INCOMPLETE,
        verdict => exit_code::for_verdict(verdict),
    };
    let at = at.as_ref().map(|a| RevisionEntry {
        revision: a.revision.clone(),
        author: a.change.as_ref().map(|c| c.author.clone()),
        subject: a
            .change
            .as_ref()
            .and_then(|c| c.comments.lines().next().map(str::to_string)),
        branch: a.change.as_ref().and_then(|c| c.branch.clone()),
        builds: a.builds.len(),
    });
    let mut report = ReleaseReport::new(&verdicts, &ctx.origin(), rule, code, at);
    report.verbose = args.verbose;
    report.shallow = shallow;
    output::write_report(&report, &ctx.output)?;
    Ok(code)
}

fn resolve_rule(args: &ReleaseArgs, ctx: &Context) -> Result<Rule, Error> {
    let choice = match (args.rule, ctx.config.release.rule.as_deref()) {
        (Some(c), _) => c,
        (None, None | Some("persistent")) => RuleChoice::Persistent,
        (None, Some("dashboard")) => RuleChoice::Dashboard,
        (None, Some(other)) => {
            return Err(Error::Config {
                path: ctx.config_path.clone().unwrap_or_default(),
                message: format!("release.rule = '{other}': expected 'persistent' or 'dashboard'"),
            });
        }
    };
    let threshold = args
        .threshold
        .map(|n| n as usize)
        .or(ctx.config.release.threshold)
        .unwrap_or(crate::model::release::DEFAULT_THRESHOLD);
    if threshold == 0 {
        return Err(Error::Config {
            path: ctx.config_path.clone().unwrap_or_default(),
            message: "release.threshold must be at least 1".into(),
        });
    }
    Ok(match choice {
        RuleChoice::Persistent => Rule::Persistent { threshold },
        RuleChoice::Dashboard => Rule::Dashboard,
    })
}

/// Read further back, one request per builder, where the first pass cannot judge a stable
/// builder: still failing at the oldest build read (its breaking build is older), or no
/// SUCCESS/WARNINGS/FAILURE build at all in it (only exceptions, say). Returns the builders
/// read deeper.
async fn deepen(
    ctx: &Context,
    selection: &Selection,
    fetched: &mut RecentBuilds,
    depth: usize,
) -> Vec<BuilderId> {
    if matches!(ctx.source, Source::Snapshot(_)) {
        return Vec::new();
    }
    let mut tasks = JoinSet::new();
    for b in &selection.builders {
        let Some(builds) = fetched.by_builder.get(&b.builderid) else {
            continue;
        };
        if builds.len() < depth || role(&b.class) == Role::Informational {
            continue; // the whole history is already here, or it cannot move a verdict
        }
        if needs_deeper_history(builds) {
            let source = ctx.source.clone();
            let id = b.builderid;
            let want = Newest::builds(DASHBOARD_DEPTH);
            tasks.spawn(async move { (id, newest_builds_of(&source, id, want).await) });
        }
    }
    let mut deep = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let Ok((id, result)) = joined else { continue };
        match result {
            Ok(builds) => {
                fetched.by_builder.insert(id, builds);
                deep.push(id);
            }
            // The first pass's builds still stand; the streak is reported as open-ended.
            Err(e) => {
                crate::stderr::warn(&format!("could not read older builds of builder {id}: {e}"))
            }
        }
    }
    deep
}
