//! `bbreport commit REV`: did this commit break anything? Every builder of its branch, new
//! failures apart from pre-existing ones, and the suspects of each new failing test.

use crate::model::commit::short_revision;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use clap::Args;

use crate::api::types::{Build, BuilderId, Change};
use crate::context::Context;
use crate::error::Error;
use crate::fetch::selection::release_selection;
use crate::fetch::{Newest, RecentBuilds, Source, newest_builds, poll, revision, test_log};
use crate::model::commit::{
    Before, Novelty, State, Window, commits_in, compared_with, intersect, last_green, outcome,
    position, previous_decisive, split_failures, state_of, tested_by, waiting,
};
use crate::model::status::BuildResult;
use crate::model::summary::FailedTest;
use crate::output;
use crate::report::commit::{CommitBuilder, CommitReport, NewFailure, Suspect};

/// Show where every builder of a commit's branch stands with it: did it break anything?
///
/// One line per active builder of the commit's branch: not built yet (queued or not
/// scheduled), building, passed, or failed. A failure is new when the builder's previous
/// decisive build passed or did not fail those tests, pre-existing when it failed the same
/// ones; failing tests are marked with their known issue. Each new failing test lists its
/// suspects: the commits between each builder's last build without that failure and its failing
/// build, intersected over every builder where the test newly fails. A commit that no build
/// checked out itself but a newer commit's build contained (pushes batched by the master's
/// tree-stable timer) counts as built by that build, which is named.
///
/// With --watch, a commit the server does not know yet (right after a push) is waited for, as
/// `watch --until-complete` does: a note on stderr says so once.
///
/// Exit codes: 0 no new failure (pre-existing ones alone included), 13 new failures, 14 some
/// builder has not finished (without --watch), 6 data could not be read. Costs a handful of
/// requests whatever the number of builders (the fleet, the commit and its builds, the branch's
/// newest commits, the builders' newest builds in bulk) plus about 3 per failed build's test
/// log (the failing build and the failed build before it).
#[derive(Debug, Args)]
pub struct CommitArgs {
    /// The commit: its full hash or a unique prefix of 7 or more hex digits
    #[arg(value_name = "REV")]
    pub revision: String,

    /// Newest builds read per builder, to judge a failure: the build before it (new or
    /// pre-existing) and the last build without it (suspects; fewer builds widen them, "or
    /// older"), and a newer commit's build that contained a commit none built itself. The
    /// commit's own builds are found whatever N
    #[arg(short = 'l', long, visible_alias = "limit", value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(2..=100))]
    pub builds: u32,

    #[command(flatten)]
    pub wait: super::args::WaitArgs,
}

/// Commits of the branch read to place builds and list suspects.
const COMMITS_READ: usize = 200;

pub async fn run(args: &CommitArgs, ctx: &Context) -> Result<u8, Error> {
    check_revision(&args.revision)?;
    super::args::refuse_offline(ctx, "commit")?;
    let report = if args.wait.watch {
        let live = super::args::polled_master(ctx, "commit --watch")?;
        let mut said: HashMap<BuilderId, State> = HashMap::new();
        let interval = Duration::from_secs(args.wait.interval);
        let mut unknown_said = false;
        // Right after a push the master may not know the commit yet: wait for it, as `watch
        // --until-complete` does, and say so once.
        let found = poll::until_done(
            &live,
            interval,
            async |round: &Source| gather(args, ctx, round).await,
            |r: &Option<CommitReport>| {
                r.as_ref()
                    .is_some_and(|r| !waiting(&r.builders.iter().map(waited).collect::<Vec<_>>()))
            },
            |r| match r {
                Some(r) => say_landed(r, &mut said),
                None if !unknown_said => {
                    unknown_said = true;
                    crate::stderr::note(&format!(
                        "the server knows no commit matching '{}' yet; waiting for it \
                         (polling every {} s)",
                        args.revision.trim(),
                        args.wait.interval
                    ));
                }
                None => {}
            },
        )
        .await?;
        match found.flatten() {
            Some(r) => r,
            None => return Ok(crate::exit_code::INTERRUPTED),
        }
    } else {
        gather(args, ctx, &ctx.source)
            .await?
            .ok_or_else(|| revision::unknown_revision(args.revision.trim()))?
    };
    output::write_report(&report, &ctx.output)?;
    Ok(report.exit_code)
}

/// A builder `--watch` waits for: not finished, and able to build (an offline builder that
/// has not built the commit would be waited for without end).
fn waited(b: &CommitBuilder) -> State {
    match b.state {
        State::NotBuilt if b.offline => State::Unread,
        s => s,
    }
}

/// `--watch`: one stderr line per builder whose build of the commit finished since last poll.
fn say_landed(r: &CommitReport, said: &mut HashMap<BuilderId, State>) {
    for b in &r.builders {
        let before = said.insert(b.builderid, b.state);
        let finished = !matches!(b.state, State::NotBuilt | State::Building);
        if finished && before != Some(b.state) {
            let tests: Vec<&str> = b.new_tests.iter().map(|t| t.name.as_str()).collect();
            let novelty = match b.novelty {
                Some(Novelty::New) if tests.is_empty() => " (new)".to_string(),
                Some(Novelty::New) => format!(" (new: {})", tests.join(", ")),
                Some(Novelty::PreExisting) => " (pre-existing)".to_string(),
                None => String::new(),
            };
            let state = match b.state {
                State::Passed => "passed",
                State::Failed => "failed",
                State::Cancelled => "cancelled",
                State::Skipped => "skipped",
                _ => "unread",
            };
            crate::stderr::note(&format!("{}: {state}{novelty}", b.name));
        }
    }
}

fn check_revision(rev: &str) -> Result<(), Error> {
    let rev = rev.trim();
    if !(7..=40).contains(&rev.len()) || !rev.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::usage(
            format!("invalid revision '{rev}': expected a git hash of 7 to 40 hex digits"),
            Some("e.g. bbreport commit 3f2a1c9".to_string()),
        ));
    }
    Ok(())
}

/// One builder's reading, before the report is assembled.
struct Reading<'a> {
    entry: CommitBuilder,
    /// The failing build, its failing tests, and what the build before it says.
    failed: Option<(&'a Build, Vec<FailedTest>, Before)>,
    builds: &'a [Build],
}

/// The report; `None` when the server knows no commit matching the revision (yet).
async fn gather(
    args: &CommitArgs,
    ctx: &Context,
    source: &Source,
) -> Result<Option<CommitReport>, Error> {
    let (builders, workers) = source.fleet().await?;
    let Some(at) = revision::find(source, args.revision.trim()).await? else {
        return Ok(None);
    };
    let git_branch = at.change.as_ref().and_then(|c| c.branch.clone());
    let branch = branch_of(ctx, &builders, &workers, &at, git_branch.as_deref())?;
    // A pull request's merge commit: its builders' history is other PRs' builds, so "new"
    // would mean nothing; `pr N` compares with the target branch instead.
    let pr_number = git_branch
        .as_deref()
        .and_then(crate::model::pull_request::number_of_ref);
    if pr_number.is_some() || branch.eq_ignore_ascii_case(ctx.tag_rules.pull_request_branch()) {
        return Err(Error::usage(
            format!(
                "{} is a pull request's merge commit ({}): its builders build other pull \
                 requests too",
                short_revision(&at.revision),
                git_branch.as_deref().unwrap_or("built by the PR builders")
            ),
            Some(match pr_number {
                Some(n) => format!("bbreport pr {n}"),
                None => "bbreport pr N (the pull request's number)".to_string(),
            }),
        ));
    }
    let selection = release_selection(
        &builders,
        &workers,
        &ctx.tag_rules,
        std::slice::from_ref(&branch),
    )?;
    let ids: Vec<BuilderId> = selection.builders.iter().map(|b| b.builderid).collect();
    let commits: Vec<Change> = match &git_branch {
        Some(g) => revision::commits_of_branch(source, g, COMMITS_READ).await?,
        None => Vec::new(),
    };
    let want = Newest::builds(args.builds as usize).with_revision(true);
    let fetched = match newest_builds(source, &ids, want).await {
        Ok(r) => r,
        Err(e) => RecentBuilds {
            failed: ids.iter().map(|id| (*id, e.to_string())).collect(),
            ..RecentBuilds::default()
        },
    };
    let mut judged = fetched.by_builder.clone();
    for b in &at.builds {
        judged.entry(b.builderid).or_default().push(b.clone());
    }
    let stale = source
        .stale_builds(&judged, ctx.config.stale_rule(), ctx.data_time())
        .await?;
    let target_pos = at
        .change
        .as_ref()
        .map(|c| c.changeid)
        .or_else(|| position(&commits, &at.revision));

    let empty: Vec<Build> = Vec::new();
    let mut readings: Vec<Reading> = Vec::new();
    let mut to_read: Vec<(String, Build)> = Vec::new();
    for b in &selection.builders {
        let builds = fetched.by_builder.get(&b.builderid).unwrap_or(&empty);
        let direct: Vec<Build> = at
            .builds
            .iter()
            .filter(|x| x.builderid == b.builderid && stale.get(x.buildid).is_none())
            .cloned()
            .collect();
        let mut entry = CommitBuilder {
            builderid: b.builderid,
            name: b.name.clone(),
            state: State::NotBuilt,
            number: None,
            url: ctx.server.builder_url(b.builderid),
            reason: None,
            built_with: None,
            novelty: None,
            new_tests: Vec::new(),
            pre_existing_tests: Vec::new(),
            previous: None,
            offline: !b.connected,
            error: None,
        };
        if let Some(e) = fetched.failed.get(&b.builderid) {
            entry.state = State::Unread;
            entry.error = Some(e.clone());
            readings.push(Reading {
                entry,
                failed: None,
                builds,
            });
            continue;
        }
        let live_builds: Vec<Build> = builds
            .iter()
            .filter(|x| stale.get(x.buildid).is_none())
            .cloned()
            .collect();
        let tested = tested_by(&live_builds, &direct, &commits, &at.revision, target_pos)
            .map(|t| (t.build.clone(), t.inside));
        let mut failed = None;
        if let Some((build, inside)) = tested {
            entry.number = Some(build.number);
            entry.url = ctx.server.build_url(b.builderid, build.number);
            entry.reason = Some(build.state_string.clone()).filter(|s| !s.is_empty());
            entry.built_with = inside;
            entry.state = state_of(&build);
            if entry.state == State::Failed {
                // The build itself, as `builds` holds it (with its revision), else as found.
                let build = builds
                    .iter()
                    .find(|x| x.buildid == build.buildid)
                    .unwrap_or(&build)
                    .clone();
                to_read.push((b.name.clone(), build.clone()));
                if let Some(prev) = previous_decisive(builds, build.number)
                    && BuildResult::from_code(prev.results) == Some(BuildResult::Failure)
                {
                    to_read.push((b.name.clone(), prev.clone()));
                }
                failed = Some(build);
            }
        }
        readings.push(Reading {
            entry,
            failed: None,
            builds,
        });
        if let Some(build) = failed {
            // Placed once the logs are read.
            let last = readings.last_mut().expect("just pushed");
            let found = builds
                .iter()
                .find(|x| x.buildid == build.buildid)
                .or_else(|| at.builds.iter().find(|x| x.buildid == build.buildid));
            if let Some(found) = found {
                last.failed = Some((found, Vec::new(), Before::Nothing));
            }
        }
    }

    let (tests, unread) =
        test_log::failing_tests_by_build(source, "commit", &ctx.known_issues, to_read).await?;
    for r in &mut readings {
        let Some((build, current, before)) = r.failed.as_mut() else {
            continue;
        };
        let Some(found) = tests.get(&build.buildid) else {
            r.entry.state = State::Unread;
            r.entry.error = unread.get(&build.buildid).cloned();
            r.failed = None;
            continue;
        };
        *current = found.clone();
        let prev = compared_with(r.builds, build);
        r.entry.previous = prev.map(|p| p.number);
        *before = match prev {
            None => Before::Nothing,
            // The same exception before (see `compared_with`): it failed outside the tests.
            Some(p) if BuildResult::from_code(p.results) == Some(BuildResult::Exception) => {
                Before::Failed(std::collections::BTreeSet::new())
            }
            Some(p) if BuildResult::from_code(p.results) != Some(BuildResult::Failure) => {
                Before::Passed
            }
            Some(p) => match tests.get(&p.buildid) {
                Some(t) => Before::Failed(t.iter().map(|t| t.name.clone()).collect()),
                None => {
                    r.entry.state = State::Unread;
                    r.entry.error = Some(format!(
                        "the test log of the previous build #{} could not be read: {}",
                        p.number,
                        unread.get(&p.buildid).map_or("", String::as_str)
                    ));
                    Before::Nothing
                }
            },
        };
        let names: Vec<String> = current.iter().map(|t| t.name.clone()).collect();
        let (new, old, novelty) = split_failures(&names, before);
        let pick = |wanted: &[String]| -> Vec<FailedTest> {
            current
                .iter()
                .filter(|t| wanted.contains(&t.name))
                .cloned()
                .collect()
        };
        r.entry.new_tests = pick(&new);
        r.entry.pre_existing_tests = pick(&old);
        r.entry.novelty = Some(novelty);
    }

    let new_failures = suspects(&readings, &commits, &at.revision, target_pos);
    let mut entries: Vec<CommitBuilder> = readings.into_iter().map(|r| r.entry).collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let states: Vec<(State, Option<Novelty>)> =
        entries.iter().map(|b| (b.state, b.novelty)).collect();
    let outcome = outcome(&states);
    let change = at.change.as_ref();
    Ok(Some(CommitReport {
        header: ctx.origin().header("commit"),
        revision: at.revision.clone(),
        author: change.map(|c| c.author.clone()),
        subject: change.and_then(|c| c.comments.lines().next().map(str::to_string)),
        git_branch,
        branch,
        outcome,
        exit_code: crate::exit_code::for_outcome(outcome),
        builders: entries,
        new_failures,
        builds_per_builder: args.builds as usize,
    }))
}

/// The bbreport branch of the commit: its git branch's (`main` is `3.x`) when bbreport knows a
/// branch of that name, else that of the builders that built it.
fn branch_of(
    ctx: &Context,
    builders: &[crate::api::types::Builder],
    workers: &[crate::api::types::Worker],
    at: &revision::ResolvedRevision,
    git_branch: Option<&str>,
) -> Result<String, Error> {
    if let Some(g) = git_branch {
        let canonical = ctx.tag_rules.canonical_branch(g);
        if let Ok(s) = release_selection(builders, workers, &ctx.tag_rules, &[canonical.into()])
            && let Some(b) = s.branches.first()
        {
            return Ok(b.clone());
        }
    }
    let branches = revision::branches_of_revision(builders, workers, &ctx.tag_rules, at)?;
    Ok(branches.into_iter().next().unwrap_or_default())
}

/// A newly failing test's known issue, builders, their windows, and whether some builder's
/// failing build could not be placed among the commits read.
type TestWindows = (Option<String>, Vec<String>, Vec<Window>, bool);

/// Each newly failing test, the builders where it newly fails and its suspects.
fn suspects(
    readings: &[Reading],
    commits: &[Change],
    target: &str,
    target_pos: Option<u64>,
) -> Vec<NewFailure> {
    let mut by_test: BTreeMap<String, TestWindows> = BTreeMap::new();
    for r in readings {
        let Some((build, _, before)) = &r.failed else {
            continue;
        };
        if r.entry.novelty != Some(Novelty::New) {
            continue;
        }
        let upto = match &r.entry.built_with {
            Some(rev) => position(commits, rev),
            None => target_pos,
        };
        for t in &r.entry.new_tests {
            // The last build without this failure: the build before, when it failed other
            // tests (it ran this one); else the last green one.
            let lower = match before {
                Before::Failed(tests) if !tests.is_empty() && !tests.contains(&t.name) => {
                    previous_decisive(r.builds, build.number)
                }
                _ => last_green(r.builds, build.number),
            };
            let after = lower.and_then(|b| b.got_revision()).and_then(|rev| {
                // A build of the commit itself does not come before it.
                (rev != target).then(|| position(commits, rev)).flatten()
            });
            let e = by_test
                .entry(t.name.clone())
                .or_insert_with(|| (t.known.clone(), Vec::new(), Vec::new(), false));
            e.1.push(r.entry.name.clone());
            match upto {
                Some(upto) => e.2.push(Window { after, upto }),
                None => e.3 = true,
            }
        }
    }
    by_test
        .into_iter()
        .map(|(test, (known, mut builders, windows, unplaced))| {
            builders.sort();
            let joint = if windows.is_empty() || unplaced {
                None
            } else {
                intersect(&windows)
            };
            let suspects: Vec<Suspect> = joint
                .map(|w| {
                    commits_in(commits, &w)
                        .into_iter()
                        .map(|c| Suspect {
                            revision: c.revision.clone().unwrap_or_default(),
                            author: c.author.clone(),
                            subject: c.comments.lines().next().unwrap_or("").to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            NewFailure {
                test,
                known,
                builders,
                open_below: joint.is_some_and(|w| w.after.is_none()),
                disjoint: !windows.is_empty() && !unplaced && joint.is_none(),
                suspects,
            }
        })
        .collect()
}
