//! Test health across builders (`bbreport tests`, `bbreport test NAME`): from each builder's
//! builds in a window and the parsed test logs of its failed ones, every test that failed or
//! was re-run, how often, how (flaky, persistent, new, fixed), where (builders, the tags they share)
//! and since when; and the builds that failed for reasons outside any test (infrastructure),
//! counted apart.
//!
//! The rules, in one place:
//! - A build says something about a test only when it ran it: a SUCCESS build passed every test
//!   (its log is not read); a parsed log that does not list the test passed it when its run
//!   finished or its progress lines show the test ran ([`super::failures`]' rule); any other
//!   build (compile failure, infrastructure, a log cut short before the test) did not run it.
//! - **Failure**: a build whose log names the test as failed, timed out, crashed, or passed on
//!   re-run.
//! - **Flaky** (a subset of failures): it passed on re-run (regrtest's own re-run), or it failed
//!   alone: the builder's next build that ran it passed it, and so did the build before. A
//!   failure that ends a run of failures (`F F P`) is a fix, not a flake; one at the window's
//!   oldest edge cannot be told apart and is not called flaky.
//! - **Fixed** on a builder: it failed, not flakily, and the newest build that ran it passed.
//! - **Persistent** on a builder: the newest builds that ran it failed it outright, at least
//!   [`DEFAULT_THRESHOLD`] in a row (the release rule's threshold).
//! - **Infrastructure**: an exception in the test step (a lost worker, an interrupted build),
//!   a test log deleted by the server, missing or unreadable, a log that names no failing test
//!   (Buildbot's no-output kill, a runner that never started the tests), or a log naming a cause
//!   outside the code (a full disk, exhausted memory, a lost worker): the build is listed apart
//!   and none of its failures counts against a test. A test whose *own* worker process crashed
//!   (`Exit code -11 (SIGSEGV)`) is that test's failure: regrtest attributes it, and a segfault
//!   is a bug to report.

use std::collections::BTreeMap;

use serde::Serialize;

use super::failures::{NoTestWhy, Placement, Symptom, placement, symptoms};
use super::known_issues::KnownIssues;
use super::regrtest::LogSummary;
use super::release::DEFAULT_THRESHOLD;
use super::select::SelectedBuilder;
use super::status::BuildResult;
use crate::api::types::BuilderId;

/// What one finished build of the window holds as evidence about tests.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// SUCCESS: every test passed (the log is not read).
    Passed,
    /// Its test log, parsed (WARNINGS, FAILURE, EXCEPTION builds whose failure is in the tests).
    Log(Box<LogSummary>),
    /// A failure outside the tests (compile, configure, a later step): no test ran, or none
    /// failed.
    OutsideTests,
    /// No test's fault (see the module documentation).
    Infra(Infra),
}

/// Why a build is an infrastructure failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InfraKind {
    /// The test step ended in an exception: a lost worker, an interrupted build.
    TestStepException,
    /// The log names a resource that ran out or a worker lost (`No space left on device`,
    /// `Cannot allocate memory`, `remote_lost`).
    Resources,
    /// The log names no failing test: Buildbot killed a silent step, the runner never started.
    NoTestNamed,
    /// Buildbot's janitor deleted the log.
    LogDeleted,
    /// The test step has no stdio log.
    NoLog,
    /// The steps or log could not be fetched.
    LogUnreadable,
}

impl InfraKind {
    pub const ALL: [InfraKind; 6] = [
        InfraKind::TestStepException,
        InfraKind::Resources,
        InfraKind::NoTestNamed,
        InfraKind::LogDeleted,
        InfraKind::NoLog,
        InfraKind::LogUnreadable,
    ];

    /// In words, for text reports.
    pub fn text(self) -> &'static str {
        match self {
            InfraKind::TestStepException => "exception in the test step",
            InfraKind::Resources => "resources or worker lost",
            InfraKind::NoTestNamed => "log names no failing test",
            InfraKind::LogDeleted => "log deleted",
            InfraKind::NoLog => "no log",
            InfraKind::LogUnreadable => "log unreadable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Infra {
    pub kind: InfraKind,
    /// The causes the log names, when it was read.
    pub causes: Vec<String>,
    /// Tests its log lists as failed: not counted against them.
    pub tests: Vec<String>,
    /// The test running when the log ends.
    pub last_test: Option<String>,
}

/// One finished build of a builder in the window.
#[derive(Debug, Clone)]
pub struct WindowBuild {
    pub builderid: BuilderId,
    pub number: u32,
    /// Unix seconds.
    pub started_at: Option<i64>,
    pub evidence: Evidence,
}

/// Causes a log names that are no test's fault (substrings of the parser's
/// `LogSummary::infrastructure` words).
const RESOURCE_CAUSES: &[&str] = &[
    "No space left on device",
    "Disk quota exceeded",
    "filesystem is full",
    "Cannot allocate memory",
    "virtual memory exhausted",
    "out of memory",
    "remote_lost",
    "slave lost",
    "worker lost",
];

/// The evidence of a WARNINGS, FAILURE or EXCEPTION build, from its result, its test step's
/// result (`None`: no test step), its parsed log, whether the log was deleted, and whether it
/// could be read at all (`unreadable`). Other results are never read: see [`evidence_unread`].
pub fn evidence(
    result: BuildResult,
    test_step_result: Option<Option<i64>>,
    summary: Option<LogSummary>,
    log_deleted: bool,
    unreadable: bool,
) -> Evidence {
    if unreadable {
        return Evidence::Infra(Infra {
            kind: InfraKind::LogUnreadable,
            causes: Vec::new(),
            tests: Vec::new(),
            last_test: None,
        });
    }
    let infra = |kind, s: Option<&LogSummary>| {
        let s = s.cloned().unwrap_or_default();
        Evidence::Infra(Infra {
            kind,
            tests: symptoms(&s).into_iter().map(|(t, _)| t).collect(),
            causes: s.infrastructure,
            last_test: s.last_running,
        })
    };
    match placement(result, test_step_result, summary.as_ref(), log_deleted) {
        Placement::TestStepException => infra(InfraKind::TestStepException, summary.as_ref()),
        Placement::NoFailingTest(why) => {
            let kind = match why {
                NoTestWhy::LogNamesNoTest => InfraKind::NoTestNamed,
                NoTestWhy::LogDeleted => InfraKind::LogDeleted,
                NoTestWhy::NoLog => InfraKind::NoLog,
                NoTestWhy::LogUnreadable => InfraKind::LogUnreadable,
            };
            infra(kind, summary.as_ref())
        }
        Placement::OutsideTests => Evidence::OutsideTests,
        Placement::Tests => match summary {
            Some(s) if s.infrastructure.iter().any(|c| is_resource_cause(c)) => {
                infra(InfraKind::Resources, Some(&s))
            }
            Some(s) => Evidence::Log(Box::new(s)),
            // A WARNINGS build without a test log: nothing failed that a log shows.
            None => Evidence::OutsideTests,
        },
    }
}

/// The evidence of a build whose log is not read: SUCCESS passed every test; any other result
/// (skipped, retry, cancelled) ran no test to the end.
pub fn evidence_unread(result: BuildResult) -> Evidence {
    match result {
        BuildResult::Success => Evidence::Passed,
        _ => Evidence::OutsideTests,
    }
}

fn is_resource_cause(cause: &str) -> bool {
    RESOURCE_CAUSES.iter().any(|c| cause.contains(c))
}

/// One build's state for one test: the timeline's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    Passed,
    /// Failed outright (failed, timed out or crashed, still failing after re-runs).
    Failed,
    /// Failed, then passed when re-run.
    PassedOnRerun,
    /// The build did not run it: a failure outside the tests, infrastructure, or a log cut
    /// short before it.
    NotRun,
}

fn cell(e: &Evidence, test: &str) -> (Cell, Option<Symptom>) {
    match e {
        Evidence::Passed => (Cell::Passed, None),
        Evidence::OutsideTests | Evidence::Infra(_) => (Cell::NotRun, None),
        Evidence::Log(s) => match symptoms(s).into_iter().find(|(t, _)| t == test) {
            Some((_, Symptom::PassedOnRerun)) => {
                (Cell::PassedOnRerun, Some(Symptom::PassedOnRerun))
            }
            Some((_, sym)) => (Cell::Failed, Some(sym)),
            None if !s.rebuilt_from_events || s.order.iter().any(|t| t == test) => {
                (Cell::Passed, None)
            }
            None => (Cell::NotRun, None),
        },
    }
}

/// One build in a test's timeline on a builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineBuild {
    pub number: u32,
    pub started_at: Option<i64>,
    pub cell: Cell,
    /// How it failed, when it did.
    pub symptom: Option<Symptom>,
    /// Passed on re-run, or an isolated failure: the builder's builds that ran the test just
    /// before and just after it passed it.
    pub flaky: bool,
}

/// How a test fares on a builder, or across builders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthClass {
    /// Failing the newest builds in a row ([`DEFAULT_THRESHOLD`] or more) on some builder.
    Persistent,
    /// It came and went: passed on re-run, or a later build passed it.
    Flaky,
    /// Failed, and no later build has run it yet: too early to say.
    New,
    /// Failed in a row, not flakily, and the newest build that ran it passed it.
    Fixed,
}

/// A test on one builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderHealth {
    pub builderid: BuilderId,
    pub builder: String,
    /// Builds that failed it (re-run passes included).
    pub failures: usize,
    /// Of those, the flaky ones.
    pub flaky: usize,
    pub class: HealthClass,
    /// The oldest build of the current streak of outright failures (newest builds that ran
    /// it), and its start time; `None` when the newest build that ran it did not fail it.
    pub failing_since: Option<(u32, Option<i64>)>,
    /// The streak reaches the oldest build of the window: it may be older.
    pub since_open_ended: bool,
    /// Start times of the oldest and newest builds that failed it.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The newest build that failed it.
    pub latest_failure: u32,
    /// Every build of the window, newest first.
    pub timeline: Vec<TimelineBuild>,
    /// Its known issue on this builder (rule matched on the newest symptom).
    pub known: Option<String>,
}

/// A test across the selected builders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestHealth {
    pub test: String,
    pub failures: usize,
    pub flaky: usize,
    pub class: HealthClass,
    /// Tags every affected builder has and not every selected builder has (`refleak`,
    /// `nogil`, `asan`…): where it fails, in one word; empty when it fails on one builder only. Branch, tier and stability tags say
    /// nothing of a platform and are left out.
    pub shared_tags: Vec<String>,
    /// Sorted by failures, then name.
    pub builders: Vec<BuilderHealth>,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The first known issue among its builders.
    pub known: Option<String>,
}

/// An infrastructure failure of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfraBuild {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    pub started_at: Option<i64>,
    pub infra: Infra,
}

/// Every test that failed or was re-run in `builds` (every finished build of the window, any
/// order), sorted by how often it hurts: failures, then builders affected, then the newest
/// failure, then name. And the infrastructure failures, newest first.
pub fn health(
    builders: &[SelectedBuilder],
    builds: &[WindowBuild],
    known: &KnownIssues,
) -> (Vec<TestHealth>, Vec<InfraBuild>) {
    let by_builder = per_builder(builds);
    let mut tests: BTreeMap<String, Vec<BuilderHealth>> = BTreeMap::new();
    for b in builders {
        let Some(mine) = by_builder.get(&b.builderid) else {
            continue;
        };
        let mut names: Vec<String> = mine
            .iter()
            .filter_map(|w| match &w.evidence {
                Evidence::Log(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| symptoms(s).into_iter().map(|(t, _)| t))
            .collect();
        names.sort_unstable();
        names.dedup();
        for test in names {
            if let Some(h) = on_builder(b, mine, &test, known) {
                tests.entry(test).or_default().push(h);
            }
        }
    }
    let mut out: Vec<TestHealth> = tests
        .into_iter()
        .map(|(test, mut on)| {
            on.sort_by(|a, b| {
                b.failures
                    .cmp(&a.failures)
                    .then_with(|| a.builder.cmp(&b.builder))
            });
            summarise(&test, on, builders)
        })
        .collect();
    out.sort_by(|a, b| {
        b.failures
            .cmp(&a.failures)
            .then_with(|| b.builders.len().cmp(&a.builders.len()))
            .then_with(|| b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.test.cmp(&b.test))
    });
    (out, infrastructure(builders, builds))
}

/// One test only (`test NAME`): its health, or `None` when no build of the window failed it.
pub fn one_test(
    builders: &[SelectedBuilder],
    builds: &[WindowBuild],
    test: &str,
    known: &KnownIssues,
) -> Option<TestHealth> {
    let by_builder = per_builder(builds);
    let mut on: Vec<BuilderHealth> = builders
        .iter()
        .filter_map(|b| on_builder(b, by_builder.get(&b.builderid)?, test, known))
        .collect();
    if on.is_empty() {
        return None;
    }
    on.sort_by(|a, b| {
        b.failures
            .cmp(&a.failures)
            .then_with(|| a.builder.cmp(&b.builder))
    });
    Some(summarise(test, on, builders))
}

/// Builds per builder, newest first.
fn per_builder(builds: &[WindowBuild]) -> BTreeMap<BuilderId, Vec<&WindowBuild>> {
    let mut by: BTreeMap<BuilderId, Vec<&WindowBuild>> = BTreeMap::new();
    for w in builds {
        by.entry(w.builderid).or_default().push(w);
    }
    for v in by.values_mut() {
        v.sort_by_key(|w| std::cmp::Reverse(w.number));
    }
    by
}

/// A test on one builder (`mine`: newest first); `None` when no build of it failed the test.
fn on_builder(
    b: &SelectedBuilder,
    mine: &[&WindowBuild],
    test: &str,
    known: &KnownIssues,
) -> Option<BuilderHealth> {
    let mut timeline: Vec<TimelineBuild> = mine
        .iter()
        .map(|w| {
            let (cell, symptom) = cell(&w.evidence, test);
            TimelineBuild {
                number: w.number,
                started_at: w.started_at,
                cell,
                symptom,
                flaky: cell == Cell::PassedOnRerun,
            }
        })
        .collect();
    // Flaky by the next build: an isolated failure, the builds that ran the test just after
    // (newer) and just before (older) it passed it. `timeline` is newest first.
    let ran_cells: Vec<(usize, Cell)> = timeline
        .iter()
        .enumerate()
        .filter(|(_, t)| t.cell != Cell::NotRun)
        .map(|(i, t)| (i, t.cell))
        .collect();
    let passed =
        |c: Option<&(usize, Cell)>| matches!(c, Some((_, Cell::Passed | Cell::PassedOnRerun)));
    for (k, (i, cell)) in ran_cells.iter().enumerate() {
        let newer = k.checked_sub(1).and_then(|j| ran_cells.get(j));
        let older = ran_cells.get(k + 1);
        if *cell == Cell::Failed && passed(newer) && passed(older) {
            timeline[*i].flaky = true;
        }
    }
    let failed: Vec<&TimelineBuild> = timeline
        .iter()
        .filter(|t| matches!(t.cell, Cell::Failed | Cell::PassedOnRerun))
        .collect();
    let newest = failed.first()?;
    let ran: Vec<&TimelineBuild> = timeline.iter().filter(|t| t.cell != Cell::NotRun).collect();
    let streak = ran.iter().take_while(|t| t.cell == Cell::Failed).count();
    let flaky = failed.iter().filter(|t| t.flaky).count();
    let class = if streak >= DEFAULT_THRESHOLD {
        HealthClass::Persistent
    } else if flaky > 0 {
        HealthClass::Flaky
    } else if ran.first().is_some_and(|t| t.cell == Cell::Passed) {
        HealthClass::Fixed
    } else {
        HealthClass::New
    };
    let symptom = newest.symptom.unwrap_or(Symptom::Failed);
    Some(BuilderHealth {
        builderid: b.builderid,
        builder: b.name.clone(),
        failures: failed.len(),
        flaky,
        class,
        failing_since: (streak > 0).then(|| (ran[streak - 1].number, ran[streak - 1].started_at)),
        since_open_ended: streak > 0 && streak == ran.len(),
        first_seen: failed.last().and_then(|t| t.started_at),
        last_seen: newest.started_at,
        latest_failure: newest.number,
        known: known.issue_for(test, symptom, &b.name).map(str::to_string),
        timeline,
    })
}

fn summarise(test: &str, on: Vec<BuilderHealth>, builders: &[SelectedBuilder]) -> TestHealth {
    let class = if on.iter().any(|h| h.class == HealthClass::Persistent) {
        HealthClass::Persistent
    } else if on.iter().any(|h| h.flaky > 0) {
        HealthClass::Flaky
    } else if on.iter().any(|h| h.class == HealthClass::New) {
        HealthClass::New
    } else {
        HealthClass::Fixed
    };
    TestHealth {
        test: test.to_string(),
        failures: on.iter().map(|h| h.failures).sum(),
        flaky: on.iter().map(|h| h.flaky).sum(),
        class,
        shared_tags: shared_tags(&on, builders),
        first_seen: on.iter().filter_map(|h| h.first_seen).min(),
        last_seen: on.iter().filter_map(|h| h.last_seen).max(),
        known: on.iter().find_map(|h| h.known.clone()),
        builders: on,
    }
}

/// Tags that say nothing about a platform (branch, stability, tier).
fn meaningful_tag(tag: &str) -> bool {
    !(tag.starts_with("tier")
        || tag == "stable"
        || tag == "unstable"
        || tag.starts_with("3.")
        || tag == "PullRequest")
}

fn shared_tags(on: &[BuilderHealth], builders: &[SelectedBuilder]) -> Vec<String> {
    let of = |id: BuilderId| builders.iter().find(|b| b.builderid == id);
    let affected: Vec<&SelectedBuilder> = on.iter().filter_map(|h| of(h.builderid)).collect();
    // One builder's tags are its own, not a group.
    let (Some(first), true) = (affected.first(), affected.len() >= 2) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = first
        .tags
        .iter()
        .filter(|t| meaningful_tag(t))
        .filter(|t| affected.iter().all(|b| b.tags.contains(t)))
        .filter(|t| !builders.iter().all(|b| b.tags.contains(t)))
        .cloned()
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

fn infrastructure(builders: &[SelectedBuilder], builds: &[WindowBuild]) -> Vec<InfraBuild> {
    let mut out: Vec<InfraBuild> = builds
        .iter()
        .filter_map(|w| match &w.evidence {
            Evidence::Infra(i) => Some(InfraBuild {
                builderid: w.builderid,
                builder: builders
                    .iter()
                    .find(|b| b.builderid == w.builderid)
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
                number: w.number,
                started_at: w.started_at,
                infra: i.clone(),
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| {
        b.started_at
            .cmp(&a.started_at)
            .then_with(|| a.builder.cmp(&b.builder))
            .then_with(|| b.number.cmp(&a.number))
    });
    out
}

/// Infrastructure failures per kind, every kind listed (zeros included), in [`InfraKind::ALL`]
/// order.
pub fn infra_counts(infra: &[InfraBuild]) -> Vec<(InfraKind, usize)> {
    InfraKind::ALL
        .iter()
        .map(|k| (*k, infra.iter().filter(|i| i.infra.kind == *k).count()))
        .collect()
}

#[cfg(test)]
#[path = "test_health_tests.rs"]
mod tests;
