//! `bbreport pr N`: the buildbot runs of pull request N, its failures compared with the target
//! branch's builders.

use std::collections::HashMap;
use std::time::Duration;

use clap::Args;

use crate::api::types::{Build, BuilderId};
use crate::context::Context;
use crate::error::Error;
use crate::fetch::selection::release_selection;
use crate::fetch::{Newest, Source, newest_builds, poll, revision, test_log};
use crate::model::commit::{
    Before, Novelty, Outcome, State, outcome, split_failures, state_of, waiting,
};
use crate::model::pull_request::{
    base_branch, heads, merge_ref, newest_per_builder, only_older, paired_builder,
};
use crate::model::status::BuildResult;
use crate::model::summary::FailedTest;
use crate::output;
use crate::report::pull_request::{Head, PrBuilder, PrReport, Target, TargetFrom};

/// Show the buildbot runs of a pull request: its newest head's builds, failures compared with
/// the target branch
///
/// The buildbots build a pull request (`refs/pull/N/merge`) on the PR builders when a triager
/// adds the `test-with-buildbots` label or comments `!buildbot REGEX`. Each push is a new head;
/// the newest head's builds are shown, older heads are counted (and PR builders that built only
/// an older head are named). A failing test that the same platform's builder of the target
/// branch (`AMD64 Fedora Stable PR` → `AMD64 Fedora Stable 3.x`) fails too in its newest
/// decisive build is pre-existing: not the PR's.
///
/// Exit codes: 0 no failure of the PR's own, 13 some, 14 some build of the newest head still
/// runs or none has started (without --watch), 6 data could not be read. Costs a few requests
/// whatever the number of builders (the fleet, the PR's changes, the builds of its newest heads,
/// the paired target builders' newest builds in bulk) plus about 3 per failed build's test log.
#[derive(Debug, Args)]
pub struct PrArgs {
    /// The pull request number
    #[arg(value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub number: u32,

    /// The branch the PR targets, whose builders the failures are compared with [default: the
    /// PR's base branch as its change records it (`basename`), else the newest branch]
    #[arg(long, value_name = "BRANCH")]
    pub target: Option<String>,

    #[command(flatten)]
    pub wait: super::args::WaitArgs,
}

/// Heads of a PR read (newest first); only the newest is judged, older ones are counted and
/// the next few read to name builders that built only them.
const HEADS_READ: usize = 20;
const OLDER_HEADS_BUILDS_READ: usize = 3;
/// Builds of each paired target builder read to find its newest decisive one.
const TARGET_BUILDS: usize = 5;

pub async fn run(args: &PrArgs, ctx: &Context) -> Result<u8, Error> {
    super::args::refuse_offline(ctx, "pr")?;
    let report = if args.wait.watch {
        let live = super::args::polled_master(ctx, "pr --watch")?;
        let mut said: HashMap<BuilderId, State> = HashMap::new();
        let found = poll::until_done(
            &live,
            Duration::from_secs(args.wait.interval),
            async |round: &Source| gather(args, ctx, round).await,
            |r: &PrReport| {
                !r.builders.is_empty()
                    && !waiting(&r.builders.iter().map(|b| b.state).collect::<Vec<_>>())
            },
            |r| say_landed(r, &mut said),
        )
        .await?;
        match found {
            Some(r) => r,
            None => return Ok(crate::exit_code::INTERRUPTED),
        }
    } else {
        gather(args, ctx, &ctx.source).await?
    };
    output::write_report(&report, &ctx.output)?;
    Ok(report.exit_code)
}

fn say_landed(r: &PrReport, said: &mut HashMap<BuilderId, State>) {
    for b in &r.builders {
        let before = said.insert(b.builderid, b.state);
        if b.state != State::Building && before != Some(b.state) {
            let own: Vec<&str> = b.own_tests.iter().map(|t| t.name.as_str()).collect();
            let what = match (b.state, b.novelty) {
                (State::Failed, Some(Novelty::New)) => {
                    format!("failed (the PR's own: {})", own.join(", "))
                }
                (State::Failed, _) => "failed (pre-existing)".to_string(),
                (State::Passed, _) => "passed".to_string(),
                (State::Cancelled, _) => "cancelled".to_string(),
                (State::Skipped, _) => "skipped".to_string(),
                (State::NotBuilt, _) => "retried (queued again)".to_string(),
                _ => "unread".to_string(),
            };
            crate::stderr::note(&format!("{} #{}: {what}", b.name, b.number));
        }
    }
}

async fn gather(args: &PrArgs, ctx: &Context, source: &Source) -> Result<PrReport, Error> {
    let (builders, workers) = source.fleet().await?;
    let git_branch = merge_ref(args.number);
    let changes = revision::pull_request_changes(source, &git_branch, HEADS_READ).await?;
    let Some(h) = heads(&changes) else {
        return Err(Error::usage(
            format!(
                "the master knows no buildbot run of pull request {}: no change on {git_branch}",
                args.number
            ),
            Some(
                "the buildbots build a PR once a triager adds the `test-with-buildbots` label \
                 or comments `!buildbot REGEX`; check the number"
                    .to_string(),
            ),
        ));
    };
    let newest_builds_of_head = revision::builds_of_change(source, h.newest).await?;
    let mut older_builds: Vec<Build> = Vec::new();
    for c in h.older.iter().take(OLDER_HEADS_BUILDS_READ) {
        older_builds.extend(revision::builds_of_change(source, c).await?);
    }
    let latest = newest_per_builder(&newest_builds_of_head);
    let name_of = |id: BuilderId| {
        builders
            .iter()
            .find(|b| b.builderid == id)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| format!("builder {id}"))
    };

    // The target branch and its builders, paired by name.
    let all = release_selection(&builders, &workers, &ctx.tag_rules, &[])?;
    // The base branch the PR's head records, when bbreport knows builders of it.
    let base = base_branch(h.newest).and_then(|g| {
        let canonical = ctx.tag_rules.canonical_branch(g);
        all.branches
            .iter()
            .find(|b| b.eq_ignore_ascii_case(canonical))
            .cloned()
    });
    let (target_branch, target_from) = match (&args.target, base) {
        (Some(t), _) => {
            let s =
                release_selection(&builders, &workers, &ctx.tag_rules, std::slice::from_ref(t))?;
            let b = s.branches.first().cloned().unwrap_or_else(|| t.clone());
            (b, TargetFrom::Asked)
        }
        (None, Some(b)) => (b, TargetFrom::BaseBranch),
        (None, None) => (
            all.branches.first().cloned().unwrap_or_default(),
            TargetFrom::NewestBranch,
        ),
    };
    let target_names: Vec<&str> = all
        .builders
        .iter()
        .filter(|b| b.class.branch == target_branch)
        .map(|b| b.name.as_str())
        .collect();
    let pr_word = ctx.tag_rules.pull_request_branch();
    if target_branch.eq_ignore_ascii_case(pr_word) {
        return Err(Error::usage(
            format!(
                "--target {target_branch} is the PR builders' own branch: failures are compared \
                 with the branch the PR merges into"
            ),
            Some(format!(
                "e.g. --target {}",
                all.branches
                    .iter()
                    .find(|b| !b.eq_ignore_ascii_case(pr_word))
                    .map_or("3.x", String::as_str)
            )),
        ));
    }
    let pairs: HashMap<BuilderId, BuilderId> = latest
        .iter()
        .filter_map(|b| {
            let name = name_of(b.builderid);
            let paired = paired_builder(&name, pr_word, &target_branch, &target_names)?;
            let id = all.builders.iter().find(|x| x.name == paired)?.builderid;
            Some((b.builderid, id))
        })
        .collect();

    let failing: Vec<&&Build> = latest
        .iter()
        .filter(|b| {
            matches!(
                BuildResult::from_code(b.results),
                Some(BuildResult::Failure | BuildResult::Exception)
            )
        })
        .collect();
    // A failing PR builder with no builder of the target branch to compare with: all its
    // failures count as the PR's own. Say so, rather than let it pass unnoticed.
    let unpaired: Vec<String> = failing
        .iter()
        .filter(|b| !pairs.contains_key(&b.builderid))
        .map(|b| name_of(b.builderid))
        .collect();
    if !unpaired.is_empty() {
        crate::stderr::warn(&format!(
            "no builder of {target_branch} to compare {} with: {} counted as the PR's own",
            unpaired.join(", "),
            if unpaired.len() == 1 {
                "its failures are"
            } else {
                "their failures are"
            }
        ));
    }
    // Only the failing PR builds' partners need reading: one bulk request.
    let target_ids: Vec<BuilderId> = failing
        .iter()
        .filter_map(|b| pairs.get(&b.builderid).copied())
        .collect();
    let targets = if target_ids.is_empty() {
        HashMap::new()
    } else {
        newest_builds(source, &target_ids, Newest::builds(TARGET_BUILDS))
            .await?
            .by_builder
    };
    let target_build = |pr: BuilderId| -> Option<&Build> {
        targets.get(pairs.get(&pr)?)?.iter().find(|b| {
            b.complete && BuildResult::from_code(b.results).is_some_and(BuildResult::is_decisive)
        })
    };
    let mut to_read: Vec<(String, Build)> = Vec::new();
    for b in &failing {
        to_read.push((name_of(b.builderid), (**b).clone()));
        if let Some(t) = target_build(b.builderid)
            && BuildResult::from_code(t.results) == Some(BuildResult::Failure)
        {
            to_read.push((name_of(t.builderid), t.clone()));
        }
    }
    let (tests, unread) =
        test_log::failing_tests_by_build(source, "pr", &ctx.known_issues, to_read).await?;

    let mut rows: Vec<PrBuilder> = Vec::new();
    for b in &latest {
        let state = state_of(b);
        let target = pairs.get(&b.builderid).map(|id| {
            let t = target_build(b.builderid);
            Target {
                name: name_of(*id),
                number: t.map(|t| t.number),
                url: match t {
                    Some(t) => ctx.server.build_url(*id, t.number),
                    None => ctx.server.builder_url(*id),
                },
                failed: t.is_some_and(|t| {
                    BuildResult::from_code(t.results) == Some(BuildResult::Failure)
                }),
            }
        });
        let mut row = PrBuilder {
            builderid: b.builderid,
            name: name_of(b.builderid),
            state,
            number: b.number,
            url: ctx.server.build_url(b.builderid, b.number),
            reason: Some(b.state_string.clone()).filter(|s| !s.is_empty()),
            novelty: None,
            own_tests: Vec::new(),
            pre_existing_tests: Vec::new(),
            target,
            error: None,
        };
        if state == State::Failed {
            match tests.get(&b.buildid) {
                None => {
                    row.state = State::Unread;
                    row.error = unread.get(&b.buildid).cloned();
                }
                Some(current) => {
                    let before = match target_build(b.builderid) {
                        None => Before::Nothing,
                        Some(t)
                            if BuildResult::from_code(t.results) != Some(BuildResult::Failure) =>
                        {
                            Before::Passed
                        }
                        Some(t) => match tests.get(&t.buildid) {
                            Some(found) => {
                                Before::Failed(found.iter().map(|t| t.name.clone()).collect())
                            }
                            None => {
                                row.state = State::Unread;
                                row.error = Some(format!(
                                    "the test log of {} #{} could not be read",
                                    name_of(t.builderid),
                                    t.number
                                ));
                                Before::Nothing
                            }
                        },
                    };
                    let names: Vec<String> = current.iter().map(|t| t.name.clone()).collect();
                    let (own, old, novelty) = split_failures(&names, &before);
                    let pick = |wanted: &[String]| -> Vec<FailedTest> {
                        current
                            .iter()
                            .filter(|t| wanted.contains(&t.name))
                            .cloned()
                            .collect()
                    };
                    row.own_tests = pick(&own);
                    row.pre_existing_tests = pick(&old);
                    row.novelty = Some(novelty);
                }
            }
        }
        rows.push(row);
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let mut older_head_only: Vec<String> = only_older(&latest, &older_builds)
        .into_iter()
        .map(name_of)
        .collect();
    older_head_only.sort();
    let states: Vec<(State, Option<Novelty>)> = rows.iter().map(|r| (r.state, r.novelty)).collect();
    let outcome = if rows.is_empty() {
        Outcome::Pending
    } else {
        outcome(&states)
    };
    Ok(PrReport {
        header: ctx.origin().header("pr"),
        number: args.number,
        git_branch,
        head: Some(Head {
            revision: h.newest.revision.clone().unwrap_or_default(),
            author: h.newest.author.clone(),
            subject: h.newest.comments.lines().next().unwrap_or("").to_string(),
        }),
        older_heads: h.older.len(),
        target_branch,
        target_from,
        outcome,
        exit_code: crate::exit_code::for_outcome(outcome),
        builders: rows,
        older_head_only,
    })
}
