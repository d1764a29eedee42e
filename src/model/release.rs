//! Release readiness: what each builder says about a branch, and the branch's verdict.
//!
//! Two rules, named so a report always says which one it applied:
//!
//! - [`Rule::Dashboard`]: exactly buildbot.python.org's release status dashboard. A builder is
//!   judged by its latest SUCCESS/WARNINGS/FAILURE build (exceptions, cancellations, retries and
//!   skips ignored). A failing stable tier-1/2 builder makes the branch Unreleasable, a failing
//!   stable tier-3/tierless one a Concern; a branch where no builder has such a build is N/A.
//! - [`Rule::Persistent`] (the default): the devguide's "free of persistent failures". A stable
//!   tier-1/2 builder blocks the release only when its last `threshold` (default 2) such builds
//!   all failed; a single fresh failure after a pass is a Concern "awaiting the next build". A
//!   blocking builder with no completed build, or whose builds could not be fetched, makes the
//!   verdict Unknown: never Releasable without the evidence.
//!
//! Disconnected workers never change a verdict; they are reported as worker health.

use serde::Serialize;

use super::classify::{BuilderClass, Stability};
use super::select::SelectedBuilder;
use super::status::BuildResult;
use super::summary::failure_reason;
use crate::api::types::{Build, BuilderId};

/// Failed builds in a row that make a failure persistent (`--threshold`'s default). `failures`
/// calls a test persistent on a builder by the same count.
pub const DEFAULT_THRESHOLD: usize = 2;

/// How deep the dashboard looks for a builder's history (`N_BUILDS` in release_dashboard.py).
pub const DASHBOARD_DEPTH: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Dashboard,
    Persistent { threshold: usize },
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::Dashboard => "dashboard",
            Rule::Persistent { .. } => "persistent",
        }
    }
}

/// A branch's verdict, in increasing order of severity for a release manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Releasable,
    Concern,
    /// The dashboard's N/A: no builder of the branch has a completed build.
    NotAvailable,
    Unknown,
    Unreleasable,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Releasable => "Releasable",
            Verdict::Concern => "Concern",
            Verdict::NotAvailable => "N/A",
            Verdict::Unknown => "Unknown",
            Verdict::Unreleasable => "Unreleasable",
        }
    }
}

/// What role a builder plays in a release decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Stable tier-1 or tier-2: can block a release.
    Blocking,
    /// Stable tier-3 or tierless: a failure is a concern.
    NonBlocking,
    /// Unstable (or unmarked): never affects the verdict.
    Informational,
}

pub fn role(class: &BuilderClass) -> Role {
    match (class.stability, class.tier) {
        (Stability::Stable, Some(1 | 2)) => Role::Blocking,
        (Stability::Stable, _) => Role::NonBlocking,
        (Stability::Unstable | Stability::Unspecified, _) => Role::Informational,
    }
}

/// What a builder's builds say, before the rule turns it into an effect on the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    /// Latest interesting build passed.
    Passing,
    /// Latest interesting build passed with warnings.
    Warnings,
    /// Latest interesting build failed.
    Failing,
    /// No SUCCESS/WARNINGS/FAILURE build in its history.
    NoCompletedBuild,
    /// Its builds could not be fetched.
    FetchFailed,
    /// `--at REVISION`: it has not started a build of that revision.
    RevisionNotBuilt,
    /// `--at REVISION`: its build of that revision is still running.
    RevisionBuilding,
}

/// Where a builder stands with the revision asked by `--at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtRevision {
    /// No `--at`: judge the newest builds.
    Newest,
    NotBuilt,
    Building,
    /// Finished a build of it; the history given ends there.
    Built,
}

/// How a builder moves its branch's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    None,
    Concern,
    Unknown,
    Unreleasable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildRef {
    pub number: u32,
    pub result: BuildResult,
    pub complete_at: Option<i64>,
    /// What failed, from the build summary (`failed test`); `None` for passing builds.
    pub failed_step: Option<String>,
}

/// The first failure after the last success, as the dashboard finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breaking {
    Build(BuildRef),
    /// The failing streak reaches past the history bbreport read.
    BeyondHistory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderJudgement {
    pub builderid: BuilderId,
    pub name: String,
    pub tags: Vec<String>,
    pub class: BuilderClass,
    pub connected: bool,
    pub role: Role,
    pub finding: Finding,
    pub effect: Effect,
    /// Why, in words, when the builder moves the verdict.
    pub reason: Option<String>,
    /// Consecutive failed builds, newest first, among SUCCESS/WARNINGS/FAILURE builds.
    pub streak: usize,
    /// True when the streak reaches the oldest build read: it may be longer.
    pub streak_open_ended: bool,
    pub latest: Option<BuildRef>,
    pub breaking: Option<Breaking>,
    /// A build is running now (the "next build" a fresh failure awaits may be under way); a
    /// stale one does not count.
    pub running: bool,
    /// Its newest stale build (listed as running, but its master is gone or it is overdue):
    /// its number, age and why. Never moves the verdict; said in the evidence.
    pub stale: Option<(u32, super::stale::Stale)>,
    /// Connected, but every connected worker is paused (worker health; never moves the
    /// verdict), and why when the master says.
    pub paused: bool,
    pub pause_reason: Option<String>,
    /// Builds read for this builder.
    pub builds_read: usize,
    pub error: Option<String>,
    /// The latest build's failing tests, when its log was read (`--tests`).
    pub failing_tests: Vec<super::summary::FailedTest>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchVerdict {
    pub branch: String,
    pub verdict: Verdict,
    /// One line saying what drove the verdict.
    pub summary: String,
    /// Every builder of the branch, the ones that move the verdict first.
    pub builders: Vec<BuilderJudgement>,
}

/// What bbreport read about one builder.
#[derive(Debug, Clone)]
pub struct BuilderHistory<'a> {
    pub builder: &'a SelectedBuilder,
    /// Newest first (by build id), as fetched.
    pub builds: &'a [Build],
    /// True when these are all of the builder's builds (fewer came back than were asked for).
    pub complete: bool,
    pub error: Option<&'a str>,
    pub at: AtRevision,
    /// The running builds that are stale (`super::stale::judge`).
    pub stale: &'a super::stale::StaleBuilds,
}

pub fn judge_builder(h: &BuilderHistory<'_>, rule: Rule) -> BuilderJudgement {
    let b = h.builder;
    let role = role(&b.class);
    let is_stale = |x: &Build| h.stale.get(x.buildid);
    let running = h
        .builds
        .iter()
        .any(|x| super::stale::is_incomplete(x) && is_stale(x).is_none());
    let stale = h.builds.iter().find_map(|x| Some((x.number, is_stale(x)?)));
    // The dashboard orders by completion time; builds start in id order but can finish out of it.
    let mut interesting: Vec<(&Build, BuildResult)> = h
        .builds
        .iter()
        .filter(|x| x.complete)
        .filter_map(|x| match BuildResult::from_code(x.results) {
            Some(r @ (BuildResult::Success | BuildResult::Warnings | BuildResult::Failure)) => {
                Some((x, r))
            }
            _ => None,
        })
        .collect();
    interesting.sort_by_key(|(x, _)| std::cmp::Reverse((x.complete_at.unwrap_or(0), x.buildid)));

    let streak = interesting
        .iter()
        .take_while(|(_, r)| *r == BuildResult::Failure)
        .count();
    let streak_open_ended = streak > 0 && streak == interesting.len() && !h.complete;
    let latest = interesting.first().map(|(x, r)| build_ref(x, *r));
    let breaking = breaking_build(&interesting, h.complete);
    let finding = match (h.error, interesting.first()) {
        (Some(_), _) => Finding::FetchFailed,
        (None, _) if h.at == AtRevision::NotBuilt => Finding::RevisionNotBuilt,
        (None, _) if h.at == AtRevision::Building => Finding::RevisionBuilding,
        (None, None) => Finding::NoCompletedBuild,
        (None, Some((_, BuildResult::Failure))) => Finding::Failing,
        (None, Some((_, BuildResult::Warnings))) => Finding::Warnings,
        (None, Some(_)) => Finding::Passing,
    };
    let (effect, reason) = effect(rule, role, finding, streak, streak_open_ended, h.complete);
    BuilderJudgement {
        builderid: b.builderid,
        name: b.name.clone(),
        tags: b.tags.clone(),
        class: b.class.clone(),
        connected: b.connected,
        role,
        finding,
        effect,
        reason,
        streak,
        streak_open_ended,
        latest,
        breaking,
        running,
        stale,
        paused: b.paused,
        pause_reason: b.pause_reason.clone(),
        builds_read: h.builds.len(),
        error: h.error.map(str::to_string),
        failing_tests: Vec::new(),
    }
}

fn effect(
    rule: Rule,
    role: Role,
    finding: Finding,
    streak: usize,
    open_ended: bool,
    complete_history: bool,
) -> (Effect, Option<String>) {
    let streak_text = if open_ended {
        format!("{streak}+")
    } else {
        streak.to_string()
    };
    let reason = |s: &str| Some(s.to_string());
    match (finding, role) {
        (Finding::FetchFailed, Role::Informational) => {
            (Effect::None, reason("builds could not be fetched"))
        }
        (Finding::FetchFailed, _) => (Effect::Unknown, reason("builds could not be fetched")),
        (Finding::RevisionNotBuilt, Role::Blocking) => {
            (Effect::Unknown, reason("has not built this revision yet"))
        }
        (Finding::RevisionBuilding, Role::Blocking) => {
            (Effect::Unknown, reason("is building this revision"))
        }
        (Finding::RevisionNotBuilt | Finding::RevisionBuilding, _) => (Effect::None, None),
        (Finding::Passing | Finding::Warnings, _) | (_, Role::Informational) => {
            (Effect::None, None)
        }
        (Finding::NoCompletedBuild, Role::Blocking) => match rule {
            // The dashboard shows "No builds" and moves on.
            Rule::Dashboard => (Effect::None, None),
            Rule::Persistent { .. } if complete_history => {
                (Effect::Unknown, reason("no completed build yet"))
            }
            Rule::Persistent { .. } => (
                Effect::Unknown,
                Some(format!("no completed build in the last {DASHBOARD_DEPTH}")),
            ),
        },
        (Finding::NoCompletedBuild, Role::NonBlocking) => (Effect::None, None),
        (Finding::Failing, Role::NonBlocking) => (
            Effect::Concern,
            Some(format!("failing, {streak_text} in a row")),
        ),
        (Finding::Failing, Role::Blocking) => match rule {
            Rule::Dashboard => (
                Effect::Unreleasable,
                Some(format!("latest build failed ({streak_text} in a row)")),
            ),
            Rule::Persistent { threshold } if streak >= threshold => (
                Effect::Unreleasable,
                Some(format!("persistent, failed {streak_text} in a row")),
            ),
            Rule::Persistent { .. } => (
                Effect::Concern,
                reason("fresh failure, awaiting the next build"),
            ),
        },
    }
}

fn build_ref(b: &Build, r: BuildResult) -> BuildRef {
    BuildRef {
        number: b.number,
        result: r,
        complete_at: b.complete_at,
        failed_step: (r == BuildResult::Failure).then(|| failure_reason(&b.state_string)),
    }
}

/// The dashboard's walk: newest first, each FAILURE becomes the candidate, WARNINGS are
/// skipped, the first SUCCESS ends the walk.
fn breaking_build(
    interesting: &[(&Build, BuildResult)],
    complete_history: bool,
) -> Option<Breaking> {
    if interesting
        .first()
        .is_none_or(|(_, r)| *r != BuildResult::Failure)
    {
        return None;
    }
    let mut candidate = None;
    for (b, r) in interesting {
        match r {
            BuildResult::Failure => candidate = Some(build_ref(b, *r)),
            BuildResult::Success => return candidate.map(Breaking::Build),
            _ => {}
        }
    }
    // No success in what was read: with the whole history, the builder never passed and its
    // first failure broke it; otherwise the success is older than what was read.
    if complete_history {
        candidate.map(Breaking::Build)
    } else {
        Some(Breaking::BeyondHistory)
    }
}

/// Judge a branch from its builders' judgements.
pub fn judge_branch(
    branch: &str,
    rule: Rule,
    mut builders: Vec<BuilderJudgement>,
) -> BranchVerdict {
    let count = |e: Effect| builders.iter().filter(|b| b.effect == e).count();
    let blocking = builders.iter().filter(|b| b.role == Role::Blocking).count();
    let fetch_failed = builders
        .iter()
        .filter(|b| b.finding == Finding::FetchFailed)
        .count();
    let any_completed = builders.iter().any(|b| b.latest.is_some());
    let (verdict, summary) = if count(Effect::Unreleasable) > 0 {
        let n = count(Effect::Unreleasable);
        let what = match rule {
            Rule::Dashboard => "failing",
            Rule::Persistent { .. } => "persistently failing",
        };
        (
            Verdict::Unreleasable,
            format!("{n} {what} release-blocking builder{}", plural(n)),
        )
    } else if fetch_failed > 0 {
        (
            Verdict::Unknown,
            format!(
                "builds of {fetch_failed} builder{} could not be fetched",
                plural(fetch_failed)
            ),
        )
    } else if rule == Rule::Dashboard && !any_completed {
        (Verdict::NotAvailable, "no builds".to_string())
    } else if count(Effect::Unknown) > 0 {
        let pending = builders
            .iter()
            .filter(|b| b.effect == Effect::Unknown)
            .filter(|b| {
                matches!(
                    b.finding,
                    Finding::RevisionNotBuilt | Finding::RevisionBuilding
                )
            })
            .count();
        let n = count(Effect::Unknown);
        let what = if pending == n {
            "not done with this revision"
        } else {
            "without a completed build"
        };
        (
            Verdict::Unknown,
            format!("{n} release-blocking builder{} {what}", plural(n)),
        )
    } else if rule != Rule::Dashboard && blocking == 0 {
        (
            Verdict::Unknown,
            "no release-blocking (stable tier-1/2) builder".to_string(),
        )
    } else if count(Effect::Concern) > 0 {
        let n = count(Effect::Concern);
        (
            Verdict::Concern,
            format!("{n} builder{} to watch", plural(n)),
        )
    } else {
        (
            Verdict::Releasable,
            format!("all {blocking} release-blocking builders pass"),
        )
    };
    // Verdict drivers first (most severe first), then by name.
    builders.sort_by(|a, b| {
        b.effect
            .cmp(&a.effect)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    BranchVerdict {
        branch: branch.to_string(),
        verdict,
        summary,
        builders,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The verdict a script sees when several branches are judged: the most severe.
pub fn overall(verdicts: &[BranchVerdict]) -> Verdict {
    verdicts
        .iter()
        .map(|v| v.verdict)
        .max()
        .unwrap_or(Verdict::Unknown)
}

/// Whether a blocking builder's builds read so far cannot be judged: still failing at the
/// oldest decisive build read (the breaking build is older), or no decisive build at all
/// (only exceptions, say). Release reads such builders deeper.
pub fn needs_deeper_history(builds: &[Build]) -> bool {
    let decisive: Vec<BuildResult> = builds
        .iter()
        .filter(|b| b.complete)
        .filter_map(|b| BuildResult::from_code(b.results))
        .filter(|r| r.is_decisive())
        .collect();
    decisive.is_empty() || decisive.iter().all(|r| *r == BuildResult::Failure)
}

/// A builder's history as it stood when it finished building the revision: its builds up to
/// and including its newest build of it. The revision's builds come from their own query, so
/// an old revision outside the first window is still judged on its own builds.
pub fn history_at(
    window: &[Build],
    of_revision: &[Build],
    builderid: BuilderId,
) -> (Vec<Build>, AtRevision) {
    let mine: Vec<&Build> = of_revision
        .iter()
        .filter(|b| b.builderid == builderid)
        .collect();
    let Some(newest) = mine.iter().map(|b| b.buildid).max() else {
        return (Vec::new(), AtRevision::NotBuilt);
    };
    if !mine.iter().any(|b| b.complete) {
        return (Vec::new(), AtRevision::Building);
    }
    let mut builds: Vec<Build> = window
        .iter()
        .filter(|b| b.buildid <= newest)
        .cloned()
        .collect();
    for b in mine {
        if !builds.iter().any(|x| x.buildid == b.buildid) {
            builds.push(b.clone());
        }
    }
    builds.sort_by_key(|b| std::cmp::Reverse(b.buildid));
    (builds, AtRevision::Built)
}

#[cfg(test)]
#[path = "release_tests.rs"]
mod tests;
