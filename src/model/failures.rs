//! The failing-test matrix of a branch: for each test, where it fails, since when, how, and a
//! classification across builders.

use std::collections::BTreeMap;

use serde::Serialize;

use super::failure_search::SearchOutcome;
use super::known_issues::KnownIssues;
use super::regrtest::LogSummary;
use super::release::DEFAULT_THRESHOLD;
use super::select::SelectedBuilder;
use super::status::BuildResult;
use crate::api::types::BuilderId;

/// What one build's log said about a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// Still failing after re-runs.
    Failed,
    /// Failed, then passed when re-run.
    PassedOnRerun,
    TimedOut,
    Crashed,
}

/// One parsed build of one builder.
#[derive(Debug, Clone)]
pub struct ParsedBuild {
    pub builderid: BuilderId,
    pub number: u32,
    pub summary: LogSummary,
}

/// A build read for a builder: its number and result (success, warnings or failure; the
/// builds the release rule judges by).
pub type ReadBuild = (u32, BuildResult);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub builderid: BuilderId,
    pub builder: String,
    /// Newest first: (build number, symptom).
    pub builds: Vec<(u32, Symptom)>,
    /// The oldest build of the current streak: from it to the newest build that ran the test,
    /// every one failed it (not just passed on re-run). `None` when the newest build that ran
    /// it did not fail it: an old failure is not "failing since".
    pub since: Option<u32>,
    /// Builds in the current streak.
    pub streak: usize,
    /// The streak reaches the oldest build read: it may be longer.
    pub streak_open_ended: bool,
    /// When it is not failing now: the oldest of the newer builds that ran it without failing
    /// it ("passing since").
    pub passing_since: Option<u32>,
    /// Failing [`DEFAULT_THRESHOLD`] builds in a row or more, newest first: the release
    /// rule's "persistent".
    pub persistent: bool,
    /// It failed (or passed on re-run) in some build and a later build passed it, or it
    /// passed on re-run: it comes and goes.
    pub intermittent: bool,
    /// The known issue it matches (see [`super::known_issues`]); `None`: new.
    pub known: Option<String>,
}

impl Occurrence {
    /// Whether some build failed it outright (not just passed on re-run).
    pub fn failed_hard(&self) -> bool {
        self.builds
            .iter()
            .any(|(_, s)| *s != Symptom::PassedOnRerun)
    }
}

/// A failed build whose failure is not in its test step: no test step (a compile or configure
/// failure), or the tests passed and a later step failed, or an exception in another step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideTests {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    /// What failed, from Buildbot's summary (`failed compile`, `exception: …`).
    pub reason: String,
    /// The first step that failed or ended in an exception (`compile`); `None` when no step
    /// says so (or the steps could not be read).
    pub step: Option<String>,
}

/// An EXCEPTION build whose exception happened in its test step: the worker or Buildbot
/// gave up while the tests ran (a lost worker, a full disk, an interrupted build). It belongs
/// with the tests, but it is no test's failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestStepException {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    /// Buildbot's summary (`exception test`, `exception interrupted`).
    pub reason: String,
    /// Infrastructure causes the test log names (`No space left on device`, `remote_lost`).
    pub causes: Vec<String>,
    /// The test running when the log ends, when the log was read.
    pub last_test: Option<String>,
}

/// Why a failed build's test step names no failing test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoTestWhy {
    /// The log was read and names no test that failed, timed out or crashed: Buildbot's
    /// no-output kill before regrtest's summary, a test runner that failed before any test ran
    /// (a mobile testbed), `--fail-env-changed`, an interpreter that did not start.
    LogNamesNoTest,
    /// Buildbot's janitor deleted the log's content (log type `d`).
    LogDeleted,
    /// The test step has no stdio log.
    NoLog,
    /// The steps or the log could not be fetched (the server answered with an error).
    LogUnreadable,
}

/// A FAILURE or EXCEPTION build no test of the matrix accounts for although its test step
/// failed (or could not be looked at): listed with what is known, never dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoFailingTest {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    /// The build's result: `Failure` or `Exception`.
    pub result: BuildResult,
    /// Buildbot's summary (`failed test`).
    pub reason: String,
    /// The test step's name; `None` when the steps could not be read.
    pub step: Option<String>,
    pub why: NoTestWhy,
    /// Infrastructure causes the log names (`Buildbot killed the step: command timed out: 1200
    /// seconds without output`, `No space left on device`, a testbed's own error).
    pub causes: Vec<String>,
    /// Tests the log says altered the environment: the failure with `--fail-env-changed`.
    pub env_changed: Vec<String>,
    /// The test still running when the log ends.
    pub last_test: Option<String>,
    /// The log's length in lines, when the server lists it (a deleted log keeps it).
    pub log_lines: Option<u64>,
    /// Why the steps or log could not be read (`LogUnreadable`).
    pub read_error: Option<String>,
    /// The search of the log's middle left failures its counters count unread.
    pub unlocated: Option<Unlocated>,
}

/// A long log's search (see [`super::failure_search`]) left failures unread: the progress
/// counters count `counted` failed or env-changed tests, `unlocated` of them ended in lines
/// not read, so the report does not name them (`build --full-log` reads every line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Unlocated {
    pub counted: u32,
    pub unlocated: u32,
    /// The search stopped at its budget.
    pub budget_spent: bool,
}

/// What a search left unread; `None` when there was no search or it found every failure.
pub fn unlocated(search: Option<&SearchOutcome>) -> Option<Unlocated> {
    search.filter(|s| s.unlocated > 0).map(|s| Unlocated {
        counted: s.counted,
        unlocated: s.unlocated,
        budget_spent: s.budget_spent,
    })
}

/// A build of the matrix (its log names failing tests, or it is a WARNINGS build) whose log
/// does not tell everything: Buildbot killed the step or the log names another
/// infrastructure cause, a test was still running when it ends, or its search left failures
/// unread. Listed so the matrix is never silently short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogNote {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    /// Infrastructure causes the log names (`Buildbot killed the step: command timed out: 1200
    /// seconds without output`).
    pub causes: Vec<String>,
    /// The test still running when the log ends.
    pub last_test: Option<String>,
    pub unlocated: Option<Unlocated>,
}

/// The note for a build of the matrix from its parsed log and search; `None` when the log
/// leaves nothing out.
pub fn log_note(
    builderid: BuilderId,
    number: u32,
    summary: &LogSummary,
    search: Option<&SearchOutcome>,
) -> Option<LogNote> {
    let unlocated = unlocated(search);
    if summary.infrastructure.is_empty() && summary.last_running.is_none() && unlocated.is_none() {
        return None;
    }
    Some(LogNote {
        builderid,
        builder: String::new(),
        number,
        causes: summary.infrastructure.clone(),
        last_test: summary.last_running.clone(),
        unlocated,
    })
}

/// Where a failed build's failure goes in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Its test log names a test that failed, timed out or crashed (or, in a WARNINGS build,
    /// passed on re-run): the test matrix.
    Tests,
    /// The test step ended in an exception: listed with the tests as an exception.
    TestStepException,
    /// A FAILURE or EXCEPTION build whose test step failed, yet no failing test is named.
    NoFailingTest(NoTestWhy),
    /// A FAILURE or EXCEPTION build whose test step did not fail, or that has none: compile,
    /// configure, a step after the tests.
    OutsideTests,
}

/// Whether a log names a test that failed, timed out or crashed: a failure the matrix shows.
pub fn names_failing_test(s: &LogSummary) -> bool {
    !(s.failed.is_empty() && s.timeouts.is_empty() && s.crashes.is_empty())
}

/// Where a WARNINGS, FAILURE or EXCEPTION build belongs, from its result, its test step's
/// result (`None`: the build has no test step), its parsed test log (`None`: not parsed) and
/// whether that log was deleted by the server. Every FAILURE or EXCEPTION build gets a place
/// that lists it: a build no failing test accounts for is never dropped.
pub fn placement(
    build: BuildResult,
    test_step_result: Option<Option<i64>>,
    summary: Option<&LogSummary>,
    log_deleted: bool,
) -> Placement {
    let test_step = test_step_result.map(BuildResult::from_code);
    if test_step == Some(Some(BuildResult::Exception)) {
        return Placement::TestStepException;
    }
    if summary.is_some_and(names_failing_test) {
        return Placement::Tests;
    }
    if !matches!(build, BuildResult::Failure | BuildResult::Exception) {
        // WARNINGS: tests that passed on re-run, or nothing to list.
        return Placement::Tests;
    }
    match (test_step, summary) {
        (Some(Some(BuildResult::Failure)), Some(_)) => {
            Placement::NoFailingTest(NoTestWhy::LogNamesNoTest)
        }
        (Some(Some(BuildResult::Failure)), None) if log_deleted => {
            Placement::NoFailingTest(NoTestWhy::LogDeleted)
        }
        (Some(Some(BuildResult::Failure)), None) => Placement::NoFailingTest(NoTestWhy::NoLog),
        _ => Placement::OutsideTests,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Fails on builders of several kinds: most likely a change broke it.
    LikelyRegression,
    /// Fails only on builders sharing a tag or a worker that none of the branch's other builders
    /// (where the test neither failed nor passed on re-run) has (see `shared`).
    PlatformOrWorker,
    /// One builder: it failed and a later build passed it, or it only ever passed on re-run.
    Flaky,
    /// One builder, failing its newest [`DEFAULT_THRESHOLD`] builds or more.
    PersistentOnOneBuilder,
    /// One builder and too little to say: a fresh failure no later build has passed yet.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRow {
    pub test: String,
    pub classification: Classification,
    /// For `PlatformOrWorker`: what the failing builders share (`tag refleak`, `worker x`).
    pub shared: Option<String>,
    pub occurrences: Vec<Occurrence>,
}

impl TestRow {
    /// Builders where it failed outright, and builders where it only passed on re-run: the
    /// classification is made from the first.
    pub fn builder_counts(&self) -> (usize, usize) {
        let hard = self.occurrences.iter().filter(|o| o.failed_hard()).count();
        (hard, self.occurrences.len() - hard)
    }
}

/// What one build read says about one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ran {
    Failed,
    PassedOnRerun,
    Passed,
    /// Its log was not parsed (no test step, or unreadable), or was cut short before the
    /// test: it says nothing about the test.
    Unknown,
}

/// Builders of the branch and the builds read for each (newest first, all of them, failed or
/// not, so a pass can be told from a build that did not run the tests), and the test logs
/// parsed among them.
pub fn matrix(
    builders: &[SelectedBuilder],
    workers: &BTreeMap<BuilderId, Vec<String>>,
    parsed: &[ParsedBuild],
    read_per_builder: &BTreeMap<BuilderId, Vec<ReadBuild>>,
    known: &KnownIssues,
) -> Vec<TestRow> {
    let mut by_test: BTreeMap<String, Vec<Occurrence>> = BTreeMap::new();
    for b in builders {
        let mine: Vec<&ParsedBuild> = parsed
            .iter()
            .filter(|p| p.builderid == b.builderid)
            .collect();
        let mut tests: BTreeMap<String, Vec<(u32, Symptom)>> = BTreeMap::new();
        for p in &mine {
            for (test, symptom) in symptoms(&p.summary) {
                tests.entry(test).or_default().push((p.number, symptom));
            }
        }
        let mut read: Vec<ReadBuild> = read_per_builder
            .get(&b.builderid)
            .cloned()
            .unwrap_or_default();
        // Builds parsed are builds read, whatever the caller's list says.
        for p in &mine {
            if !read.iter().any(|(n, _)| *n == p.number) {
                read.push((p.number, BuildResult::Failure));
            }
        }
        read.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        for (test, mut builds) in tests {
            builds.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
            let ran: Vec<(u32, Ran)> = read
                .iter()
                .map(|&(n, result)| {
                    let ran = match builds.iter().find(|(x, _)| *x == n) {
                        Some((_, Symptom::PassedOnRerun)) => Ran::PassedOnRerun,
                        Some(_) => Ran::Failed,
                        None if mine
                            .iter()
                            .any(|p| p.number == n && says_it_passed(&p.summary, &test)) =>
                        {
                            Ran::Passed
                        }
                        None if result == BuildResult::Success => Ran::Passed,
                        None => Ran::Unknown,
                    };
                    (n, ran)
                })
                .filter(|(_, r)| *r != Ran::Unknown)
                .collect();
            let streak = ran.iter().take_while(|(_, r)| *r == Ran::Failed).count();
            let since = (streak > 0).then(|| ran[streak - 1].0);
            let passing_since = if streak == 0 {
                // The oldest build newer than the newest hard failure.
                ran.iter()
                    .position(|(_, r)| *r == Ran::Failed)
                    .filter(|&i| i > 0)
                    .map(|i| ran[i - 1].0)
            } else {
                None
            };
            // Judged on the newest symptom: a rule for "timed out" should not claim a test
            // that now fails outright.
            let issue = builds
                .first()
                .and_then(|(_, s)| known.issue_for(&test, *s, &b.name))
                .map(str::to_string);
            by_test.entry(test).or_default().push(Occurrence {
                builderid: b.builderid,
                builder: b.name.clone(),
                since,
                streak,
                streak_open_ended: streak > 0 && streak == ran.len(),
                passing_since,
                persistent: streak >= DEFAULT_THRESHOLD,
                intermittent: intermittent(&ran),
                known: issue,
                builds,
            });
        }
    }
    let mut rows: Vec<TestRow> = by_test
        .into_iter()
        .map(|(test, occurrences)| {
            let (classification, shared) = classify(&occurrences, builders, workers);
            TestRow {
                test,
                classification,
                shared,
                occurrences,
            }
        })
        .collect();
    // Most widespread first, then by name.
    rows.sort_by(|a, b| {
        b.occurrences
            .len()
            .cmp(&a.occurrences.len())
            .then_with(|| a.test.cmp(&b.test))
    });
    rows
}

/// Whether a parsed log that does not list `test` among its failures says it passed: its run
/// finished (a final summary was read), or its progress lines show the test ran. A log cut
/// short (Buildbot's no-output kill, a lost worker, a runner that never started the tests) is
/// no evidence of a pass: counting it as one would call a first failure "flaky".
fn says_it_passed(s: &LogSummary, test: &str) -> bool {
    !s.rebuilt_from_events || s.order.iter().any(|t| t == test)
}

/// Whether a test comes and goes on a builder (`ran`: newest first): it passed on re-run, or a
/// build passed it after one failed it. A first failure after green builds is not that, until a
/// later build passes.
fn intermittent(ran: &[(u32, Ran)]) -> bool {
    ran.iter().any(|(_, r)| *r == Ran::PassedOnRerun)
        || ran
            .iter()
            .position(|(_, r)| *r == Ran::Passed)
            .is_some_and(|newest_pass| ran[newest_pass..].iter().any(|(_, r)| *r == Ran::Failed))
}

/// Test → symptom from one build's log. A test listed as timed out or crashed keeps that
/// symptom rather than plain "failed".
pub(crate) fn symptoms(s: &LogSummary) -> Vec<(String, Symptom)> {
    let mut out: Vec<(String, Symptom)> = Vec::new();
    let mut add = |t: &String, sym| {
        if !out.iter().any(|(x, _)| x == t) {
            out.push((t.clone(), sym));
        }
    };
    for t in &s.timeouts {
        add(t, Symptom::TimedOut);
    }
    for (t, _) in &s.crashes {
        add(t, Symptom::Crashed);
    }
    for t in &s.failed {
        add(t, Symptom::Failed);
    }
    for t in &s.passed_on_rerun {
        add(t, Symptom::PassedOnRerun);
    }
    out
}

/// Tags that say nothing about a platform (branch, stability, tier).
fn meaningful_tag(tag: &str) -> bool {
    !(tag.starts_with("tier")
        || tag == "stable"
        || tag == "unstable"
        || tag.starts_with("3.")
        || tag == "PullRequest")
}

fn classify(
    occ: &[Occurrence],
    builders: &[SelectedBuilder],
    workers: &BTreeMap<BuilderId, Vec<String>>,
) -> (Classification, Option<String>) {
    let hard: Vec<&Occurrence> = occ.iter().filter(|o| o.failed_hard()).collect();
    if hard.is_empty() {
        // Only ever passed on re-run: flaky wherever it shows.
        return (Classification::Flaky, None);
    }
    if let [o] = hard[..] {
        // The release rule's persistence first: failing the newest builds in a row is
        // persistent whatever happened before; then "comes and goes"; a fresh failure that no
        // later build has passed is not yet either.
        let c = if o.persistent {
            Classification::PersistentOnOneBuilder
        } else if o.intermittent {
            Classification::Flaky
        } else {
            Classification::Unknown
        };
        return (c, None);
    }
    // Several builders: do they share a worker or a tag that the branch's other builders (where
    // the test neither failed nor passed on re-run) do not have? When no other builder is left
    // (it fails on every builder of the branch), nothing sets the failing ones apart.
    let of = |id: BuilderId| builders.iter().find(|b| b.builderid == id);
    let failing: Vec<&SelectedBuilder> = hard.iter().filter_map(|o| of(o.builderid)).collect();
    let others: Vec<&SelectedBuilder> = builders
        .iter()
        .filter(|b| !occ.iter().any(|o| o.builderid == b.builderid))
        .collect();
    if others.is_empty() {
        return (Classification::LikelyRegression, None);
    }
    let workers_of = |b: &SelectedBuilder| workers.get(&b.builderid).map_or(&[][..], |w| &w[..]);
    let common_worker = failing.first().and_then(|f| {
        workers_of(f).iter().find(|w| {
            failing.iter().all(|b| workers_of(b).contains(w))
                && !others.iter().any(|b| workers_of(b).contains(w))
        })
    });
    if let Some(w) = common_worker {
        return (
            Classification::PlatformOrWorker,
            Some(format!("worker {w}")),
        );
    }
    let common_tag = failing.first().and_then(|f| {
        f.tags.iter().filter(|t| meaningful_tag(t)).find(|t| {
            failing.iter().all(|b| b.tags.contains(t)) && !others.iter().any(|b| b.tags.contains(t))
        })
    });
    if let Some(tag) = common_tag {
        return (Classification::PlatformOrWorker, Some(format!("tag {tag}")));
    }
    (Classification::LikelyRegression, None)
}

#[cfg(test)]
#[path = "failures_tests.rs"]
mod tests;
