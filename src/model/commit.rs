//! "Did my change break anything?" for one commit (`bbreport commit REV`): which build of each
//! builder tested the commit, whether its failures are new or were there before, and which
//! commits are suspects for a new failure.
//!
//! Commits are ordered by the master's change ids (Buildbot numbers changes as it receives
//! them, so on one git branch a larger `changeid` is a later push). A build is placed by its
//! `got_revision` among the branch's newest commits ([`position`]). The rules follow the
//! devguide's "check the buildbots after a push": a failure is **new** when the builder's
//! previous decisive build passed or did not fail those tests, **pre-existing** when it failed
//! the same tests; the **suspects** of a new failing test are the commits between each
//! builder's last green build and the failing one, intersected over every builder where that
//! test newly fails.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::api::types::{Build, Change};
use crate::model::status::BuildResult;

/// Where a commit stands on the master's commit order: its `changeid`, when the branch's
/// commits read include its revision (`None`: older than the oldest read, or not of the branch).
pub fn position(commits: &[Change], revision: &str) -> Option<u64> {
    commits
        .iter()
        .find(|c| c.revision.as_deref() == Some(revision))
        .map(|c| c.changeid)
}

/// The build of one builder that tested a commit, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Tested<'a> {
    pub build: &'a Build,
    /// The newer commit whose build tested this one too (python.org's tree-stable timer
    /// batches pushes: one build checks out the newest of them); `None` when the build checked
    /// out the commit itself.
    pub inside: Option<String>,
}

/// A RETRY build's re-run: the build of the same build request (`buildrequestid`) with the
/// next larger number in `pool`, followed through re-runs that were retried again; the build
/// itself when it is no RETRY or has no re-run yet (its request waits in the queue). As in
/// [`crate::model::summary`]'s `rerun_of`: Buildbot re-runs a build whose worker was lost as a
/// new build of the same request.
pub fn rerun<'a>(build: &'a Build, pool: &'a [Build]) -> &'a Build {
    let mut b = build;
    while BuildResult::from_code(b.results) == Some(BuildResult::Retry) {
        let Some(request) = b.buildrequestid else {
            break;
        };
        match pool
            .iter()
            .filter(|o| o.buildrequestid == Some(request) && o.number > b.number)
            .min_by_key(|o| o.number)
        {
            Some(next) => b = next,
            None => break,
        }
    }
    b
}

/// Whether a build answers for the code it checked out: it runs, or it finished with a result
/// that says something about the code (not SKIPPED, RETRY or CANCELLED).
fn answers(b: &Build) -> bool {
    match BuildResult::from_code(b.results) {
        None => !b.complete,
        Some(r) => r.is_verdict(),
    }
}

/// The one build to judge among a builder's builds of one commit (`of`), each RETRY replaced
/// by its re-run from `pool`: the newest that runs or has a result about the code, else the
/// newest (a cancelled or skipped build, or a RETRY whose re-run has not started).
pub fn judged<'a>(of: impl Iterator<Item = &'a Build>, pool: &'a [Build]) -> Option<&'a Build> {
    let builds: Vec<&Build> = of.map(|b| rerun(b, pool)).collect();
    builds
        .iter()
        .copied()
        .filter(|b| answers(b))
        .max_by_key(|b| b.number)
        .or_else(|| builds.iter().copied().max_by_key(|b| b.number))
}

/// The build of a builder that tested commit `target` (its change id `target_pos`): the
/// builder's own build of that revision (`direct`: from `changes/{id}/builds`; else from
/// `builds` by `got_revision`), else its oldest build (in `builds`, newest first) of a newer
/// commit of the branch: that build's checkout contained the commit. Built more than once, the
/// newest build that runs or has a result about the code is the one; a RETRY build stands for
/// its re-run ([`rerun`]). `None`: not built yet.
pub fn tested_by<'a>(
    builds: &'a [Build],
    direct: &'a [Build],
    commits: &[Change],
    target: &str,
    target_pos: Option<u64>,
) -> Option<Tested<'a>> {
    let own = judged(direct.iter(), direct).or_else(|| {
        judged(
            builds.iter().filter(|b| b.got_revision() == Some(target)),
            builds,
        )
    });
    if let Some(b) = own {
        return Some(Tested {
            build: b,
            inside: None,
        });
    }
    let target_pos = target_pos?;
    let newer = |b: &&Build| {
        b.got_revision()
            .and_then(|r| position(commits, r))
            .is_some_and(|p| p > target_pos)
    };
    // The oldest newer commit's builds; among them, the one to judge.
    let first = builds
        .iter()
        .filter(newer)
        .filter(|b| answers(rerun(b, builds)))
        .min_by_key(|b| b.number)
        .or_else(|| builds.iter().filter(newer).min_by_key(|b| b.number))?;
    let b = rerun(first, builds);
    Some(Tested {
        build: b,
        inside: first.got_revision().map(str::to_string),
    })
}

/// Where a builder stands with the build that tested the commit.
pub fn state_of(build: &Build) -> State {
    match BuildResult::from_code(build.results) {
        None if !build.complete => State::Building,
        Some(BuildResult::Success | BuildResult::Warnings) => State::Passed,
        Some(BuildResult::Failure | BuildResult::Exception) => State::Failed,
        Some(BuildResult::Cancelled) => State::Cancelled,
        Some(BuildResult::Skipped) => State::Skipped,
        // A RETRY whose re-run has not started: its request is queued again. (A result code
        // this version does not know says nothing either.)
        _ => State::NotBuilt,
    }
}

/// The builder's newest finished SUCCESS/WARNINGS/FAILURE build before build `number`.
pub fn previous_decisive(builds: &[Build], number: u32) -> Option<&Build> {
    builds
        .iter()
        .filter(|b| b.number < number && b.complete)
        .filter(|b| BuildResult::from_code(b.results).is_some_and(BuildResult::is_decisive))
        .max_by_key(|b| b.number)
}

/// The build a failed `build` is compared with: the builder's previous decisive build
/// ([`previous_decisive`]), except for an EXCEPTION (the master or the worker failed, not the
/// code: usually infrastructure), compared with the builder's previous finished build whatever
/// its result (RETRY, CANCELLED and SKIPPED aside), so the same exception again is pre-existing,
/// not blamed on the commit.
pub fn compared_with<'a>(builds: &'a [Build], build: &Build) -> Option<&'a Build> {
    if BuildResult::from_code(build.results) != Some(BuildResult::Exception) {
        return previous_decisive(builds, build.number);
    }
    builds
        .iter()
        .filter(|b| b.number < build.number && b.complete)
        .filter(|b| {
            matches!(
                BuildResult::from_code(b.results),
                Some(
                    BuildResult::Success
                        | BuildResult::Warnings
                        | BuildResult::Failure
                        | BuildResult::Exception
                )
            )
        })
        .max_by_key(|b| b.number)
}

/// The builder's newest green (SUCCESS or WARNINGS) build before build `number`.
pub fn last_green(builds: &[Build], number: u32) -> Option<&Build> {
    builds
        .iter()
        .filter(|b| b.number < number && b.complete)
        .filter(|b| {
            matches!(
                BuildResult::from_code(b.results),
                Some(BuildResult::Success | BuildResult::Warnings)
            )
        })
        .max_by_key(|b| b.number)
}

/// New or there before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Novelty {
    New,
    PreExisting,
}

/// What the build before a failing one says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Before {
    /// No decisive build before it was read (a new builder, or a window too short).
    Nothing,
    /// It passed.
    Passed,
    /// It failed with these tests (empty: it failed outside the tests, or its log named none).
    Failed(BTreeSet<String>),
}

/// A failed build's failing tests split into new ones and ones the previous decisive build
/// already failed, and the build's own novelty: new when any test is new, or (no failing test
/// named, e.g. a compile error) when the build before did not fail.
pub fn split_failures(current: &[String], before: &Before) -> (Vec<String>, Vec<String>, Novelty) {
    let (mut new, mut old) = (Vec::new(), Vec::new());
    for t in current {
        match before {
            Before::Failed(tests) if tests.contains(t) => old.push(t.clone()),
            _ => new.push(t.clone()),
        }
    }
    let novelty = if !new.is_empty() {
        Novelty::New
    } else if current.is_empty() {
        match before {
            Before::Failed(_) => Novelty::PreExisting,
            Before::Nothing | Before::Passed => Novelty::New,
        }
    } else {
        Novelty::PreExisting
    };
    (new, old, novelty)
}

/// One builder's suspect window for a newly failing test: the commits after `after` (the
/// change id of the last build that did not fail the test; `None`: no such build was read, the
/// window is open below) up to and including `upto` (the failing build's commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub after: Option<u64>,
    pub upto: u64,
}

/// The intersection of the windows of every builder where a test newly fails; `None` when they
/// do not overlap (the test broke at different times on different builders).
pub fn intersect(windows: &[Window]) -> Option<Window> {
    let upto = windows.iter().map(|w| w.upto).min()?;
    let after = windows.iter().filter_map(|w| w.after).max();
    match after {
        Some(a) if a >= upto => None,
        _ => Some(Window { after, upto }),
    }
}

/// The branch's commits inside a window, oldest first; `bounded` is false when the window is
/// open below and the commits read may not reach its start.
pub fn commits_in<'a>(commits: &'a [Change], w: &Window) -> Vec<&'a Change> {
    let mut v: Vec<&Change> = commits
        .iter()
        .filter(|c| c.changeid <= w.upto && w.after.is_none_or(|a| c.changeid > a))
        .collect();
    v.sort_by_key(|c| c.changeid);
    v
}

/// Where a builder stands with the commit, for the report and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// No build has the commit yet: queued, or not scheduled.
    NotBuilt,
    /// A build with the commit runs.
    Building,
    Passed,
    Failed,
    /// Its build of the commit was cancelled (stopped by hand or by a newer request):
    /// nothing says how the commit fares there, so it counts as not built (exit code 14), but
    /// `--watch` does not wait for it: no build comes unless someone rebuilds it.
    Cancelled,
    /// Its build of the commit was SKIPPED (Buildbot skipped the build request): counted as
    /// [`State::Cancelled`] is.
    Skipped,
    /// Its builds, or the failing build's test log, could not be read.
    Unread,
}

/// The verdict over every builder: what the exit code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every builder finished; no failure, or only pre-existing ones.
    NoNewFailure,
    /// Some builder fails newly.
    NewFailures,
    /// No new failure, but data could not be read.
    Incomplete,
    /// No new failure yet; some builder has not finished a build of it.
    Pending,
}

/// The outcome of builders' states and novelties: a new failure first (it is the answer), then
/// data not read (never 0 with a builder unread), then builds still to come.
pub fn outcome(states: &[(State, Option<Novelty>)]) -> Outcome {
    if states.iter().any(|(_, n)| *n == Some(Novelty::New)) {
        Outcome::NewFailures
    } else if states.iter().any(|(s, _)| *s == State::Unread) {
        Outcome::Incomplete
    } else if states.iter().any(|(s, _)| {
        matches!(
            s,
            State::NotBuilt | State::Building | State::Cancelled | State::Skipped
        )
    }) {
        Outcome::Pending
    } else {
        Outcome::NoNewFailure
    }
}

/// Whether `--watch` has more to wait for: some builder has not finished a build of it (a
/// cancelled or skipped build is not waited for: nothing will come unless someone rebuilds).
pub fn waiting(states: &[State]) -> bool {
    states
        .iter()
        .any(|s| matches!(s, State::NotBuilt | State::Building))
}

#[cfg(test)]
#[path = "commit_tests.rs"]
mod tests;

/// A revision as reports print it: its first 10 characters (cut at a character boundary, as a
/// server's revision is not always ASCII hex).
pub fn short_revision(rev: &str) -> &str {
    rev.char_indices().nth(10).map_or(rev, |(i, _)| &rev[..i])
}
