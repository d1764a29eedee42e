//! `bbreport watch [BRANCH]...`: poll the master and print one line per state change.

use std::time::Duration;

use std::collections::{BTreeSet, HashMap};

use clap::Args;

use crate::api::types::BuilderId;
use crate::context::Context;
use crate::error::Error;
use crate::exit_code;
use crate::fetch::revision::blocking_progress;
use crate::fetch::selection::{FetchedSummary, fetch_summary, name_glob};
use crate::fetch::{Newest, Source, poll, test_log};
use crate::model::digest::{DigestState, digest};
use crate::model::stale::StaleCheck;
use crate::model::summary::StatusWindow;
use crate::output;
use crate::render::text::format_time;
use crate::report::watch::WatchEvent;

/// Poll the master and print a line whenever a builder changes state
///
/// Like python's IRC notifier: a builder went red (its newest finished build failed), back to
/// green, offline, back online. The first line sums up the builders watched. Each poll reads
/// only what changed through the cache (the builds above the last one seen, running builds and
/// the workers' state: two or three small requests). When the server cannot be reached, one
/// warning says so and polling goes on; another says when it answers again. Ctrl-C stops it
/// (exit code 130). With --format json, each line is a JSON object: first
/// `{"event": "watching", …}`, then `{"event": "new_failure"|"fixed"|"offline"|"back_online",
/// "time", "builderid", "name", "branch", "number", "reason", "url"}`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Branches to watch (all when none; the config's `branches` apply)
    #[arg(value_name = "BRANCH")]
    pub branch: Vec<String>,

    #[command(flatten)]
    pub name: super::args::NameFilter,

    /// Seconds between polls
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub interval: u64,

    /// Also read the test log of each newly failed build and print the tests that fail and
    /// did not before ("new failing test"); about 3 requests per new failed build, cached
    #[arg(long)]
    pub tests: bool,

    /// Stop once every release-blocking builder (of BRANCH, else of the branches that build
    /// REVISION) has finished a build of REVISION, print `release --at REVISION` and exit with
    /// its code (0 Releasable, 10, 11, 12). A line says how many are done whenever it changes.
    #[arg(long, value_name = "REVISION")]
    pub until_complete: Option<String>,
}

/// How a watch ends: with an exit code (Ctrl-C), or, once `--until-complete`'s revision is
/// built, with `release --at` to run next (the dispatcher runs it: verbs do not call verbs).
#[derive(Debug)]
pub enum Ending {
    Exit(u8),
    ReleaseAt {
        branches: Vec<String>,
        revision: String,
    },
}

pub async fn run(args: &WatchArgs, ctx: &Context) -> Result<Ending, Error> {
    let live = super::args::polled_master(ctx, "watch")?;
    let mut branches: Vec<String> = args.branch.clone();
    if branches.is_empty() {
        branches = ctx.config.branches.clone().unwrap_or_default();
    }
    if branches.iter().any(|b| b.eq_ignore_ascii_case("all")) {
        branches.clear();
    }
    let glob = name_glob(args.name.as_deref())?;
    let interval = Duration::from_secs(args.interval);
    let mut previous: Option<DigestState> = None;
    let mut done_before: Option<usize> = None;
    // `--tests`: per builder, its newest failed build read and that build's failing tests.
    let mut failing_tests: HashMap<BuilderId, (u32, BTreeSet<String>)> = HashMap::new();
    let mut waiting_note: Option<String> = None;
    let mut resolved: Option<String> = None;
    if let Some(rev) = &args.until_complete
        && (!(4..=40).contains(&rev.len()) || !rev.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(Error::usage(
            format!(
                "invalid --until-complete '{rev}': expected a git revision of 4 to 40 hex digits"
            ),
            Some("e.g. --until-complete 3f2a1c9".to_string()),
        ));
    }
    let mut outage = poll::Outage::stamped(|| format_time(ctx.clock_now()));
    let poll_summary = async |round: &Source| {
        // `--until-complete` looks its commit up in `changes`, asked by version (a master
        // before 3.9 is read by pages): the version is read beside the first poll's lists, in
        // the same round (once per run; later rounds find it known).
        let (fetched, ()) = tokio::join!(
            fetch_summary(
                round,
                &ctx.tag_rules,
                &branches,
                glob.as_ref(),
                Newest::builds(4),
                StatusWindow::AllShown,
                StaleCheck {
                    rule: ctx.config.stale_rule(),
                    as_of: ctx.clock_now(),
                },
            ),
            async {
                if args.until_complete.is_some() {
                    round.prefetch_server_version().await;
                }
            }
        );
        fetched
    };
    let land = async |fetched: FetchedSummary, round: &Source| -> Result<Option<Ending>, Error> {
        let now = ctx.clock_now();
        let mut events: Vec<WatchEvent> = match &previous {
            None => vec![WatchEvent::watching(&fetched.summary, now, args.interval)],
            Some(_) => Vec::new(),
        };
        let d = digest(previous.as_ref(), &fetched.summary, now);
        events.extend(
            d.changes
                .iter()
                .map(|c| WatchEvent::change(c, now, &ctx.server)),
        );
        if args.tests {
            let first = previous.is_none();
            events.extend(new_failing_tests(ctx, &fetched, &mut failing_tests, first, now).await?);
        }
        output::write_reports(&events, &ctx.output)?;
        previous = Some(d.state);
        let Some(rev) = &args.until_complete else {
            return Ok(None);
        };
        // Once resolved, the full revision: an abbreviated one would be looked up again every
        // poll (by pages of `changes` on a master before 3.9).
        let rev = resolved.clone().unwrap_or_else(|| rev.clone());
        let progress = blocking_progress(
            round,
            &ctx.tag_rules,
            &branches,
            &rev,
            ctx.config.stale_rule(),
            ctx.clock_now(),
        )
        .await;
        // Right after a push the master may not know the commit yet: say so once and keep
        // polling.
        let (done, total, full) = match progress {
            Ok(p) => p,
            Err(e) => {
                let text = e.to_string();
                if waiting_note.as_deref() != Some(text.as_str()) {
                    crate::stderr::note(&format!("{text}; waiting"));
                    waiting_note = Some(text);
                }
                return Ok(None);
            }
        };
        resolved = Some(full.clone());
        if done_before != Some(done) {
            let event = WatchEvent::Progress {
                time: now,
                revision: full.clone(),
                finished: done,
                blocking: total,
            };
            output::write_report(&event, &ctx.output)?;
            done_before = Some(done);
        }
        Ok((done == total).then(|| Ending::ReleaseAt {
            branches: branches.clone(),
            revision: full,
        }))
    };
    let ending = poll::until(&live, interval, &mut outage, poll_summary, land).await?;
    Ok(ending.unwrap_or(Ending::Exit(exit_code::INTERRUPTED)))
}

/// `--tests`: read the failing tests of builds that failed since the last poll; one line per
/// builder whose newest failed build fails tests its previous one did not (nothing on the
/// first poll, which only records).
async fn new_failing_tests(
    ctx: &Context,
    fetched: &FetchedSummary,
    known: &mut HashMap<BuilderId, (u32, BTreeSet<String>)>,
    first: bool,
    now: i64,
) -> Result<Vec<WatchEvent>, Error> {
    let rows: Vec<_> = fetched
        .summary
        .branches
        .iter()
        .flat_map(|b| &b.builders)
        .collect();
    let targets: Vec<(BuilderId, String, crate::api::types::Build)> = rows
        .iter()
        .filter_map(|row| {
            let failure = row.last_failure.as_ref()?;
            if known
                .get(&row.builderid)
                .is_some_and(|(n, _)| *n == failure.number)
            {
                return None;
            }
            let build = fetched
                .recent
                .by_builder
                .get(&row.builderid)?
                .iter()
                .find(|b| b.number == failure.number)?;
            Some((row.builderid, row.name.clone(), build.clone()))
        })
        .collect();
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    // In the order of the builders' names, as the lines read.
    let mut numbers: Vec<(BuilderId, u32, String)> = targets
        .iter()
        .map(|(id, name, b)| (*id, b.number, name.clone()))
        .collect();
    numbers.sort_by(|a, b| (&a.2, a.0).cmp(&(&b.2, b.0)));
    let tests = test_log::failing_tests(&ctx.source, &ctx.known_issues, targets).await?;
    let mut events = Vec::new();
    for (id, number, name) in numbers {
        let now_failing: BTreeSet<String> = tests
            .get(&id)
            .map(|t| t.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        let before = known.get(&id).map(|(_, t)| t.clone()).unwrap_or_default();
        let new: Vec<String> = now_failing.difference(&before).cloned().collect();
        if !first && !new.is_empty() {
            events.push(WatchEvent::NewFailingTest {
                time: now,
                builderid: id,
                name,
                number,
                tests: new,
                url: ctx.server.build_url(id, number),
            });
        }
        known.insert(id, (number, now_failing));
    }
    Ok(events)
}
