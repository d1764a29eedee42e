//! The failing-test matrix of a branch: for each test, where it fails, since when, how, and a
//! classification across builders.

use std::collections::BTreeMap;

use serde::Serialize;

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

/// A failed build whose failure is not in a test step (compile, configure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideTests {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    pub reason: String,
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

/// Where a failed build's failure goes in the report, from its test step's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The test step ran and its log names the failures: the test matrix.
    Tests,
    /// The test step ended in an exception: listed with the tests as an exception.
    TestStepException,
    /// No test step, or it did not fail: compile, configure…
    OutsideTests,
}

/// Where a failed or EXCEPTION build belongs: by its test step's result (`None`: the build
/// has no test step), and whether its test log could be parsed.
pub fn placement(test_step_result: Option<Option<i64>>, parsed: bool) -> Placement {
    match test_step_result {
        Some(r) if BuildResult::from_code(r) == Some(BuildResult::Exception) => {
            Placement::TestStepException
        }
        Some(_) if parsed => Placement::Tests,
        _ => Placement::OutsideTests,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Fails on builders of several kinds: most likely a change broke it.
    LikelyRegression,
    /// Fails only on builders sharing a tag or a worker (see `shared`).
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
    /// Its log was not parsed (no test step, or unreadable): it says nothing about the test.
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
                        None if mine.iter().any(|p| p.number == n) => Ran::Passed,
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
fn symptoms(s: &LogSummary) -> Vec<(String, Symptom)> {
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
    // Several builders: do they share something the others do not?
    let of = |id: BuilderId| builders.iter().find(|b| b.builderid == id);
    let failing: Vec<&SelectedBuilder> = hard.iter().filter_map(|o| of(o.builderid)).collect();
    let common_worker = failing
        .first()
        .and_then(|f| workers.get(&f.builderid))
        .and_then(|ws| {
            ws.iter().find(|w| {
                failing
                    .iter()
                    .all(|b| workers.get(&b.builderid).is_some_and(|x| x.contains(w)))
            })
        });
    if let Some(w) = common_worker {
        return (
            Classification::PlatformOrWorker,
            Some(format!("worker {w}")),
        );
    }
    let common_tag = failing.first().and_then(|f| {
        f.tags
            .iter()
            .filter(|t| meaningful_tag(t))
            .find(|t| failing.iter().all(|b| b.tags.contains(t)))
            .cloned()
    });
    if let Some(tag) = common_tag {
        // A tag every builder of the branch has is not what sets these apart.
        let everywhere = builders.iter().all(|b| b.tags.contains(&tag));
        if !everywhere {
            return (Classification::PlatformOrWorker, Some(format!("tag {tag}")));
        }
    }
    (Classification::LikelyRegression, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::classify::TagRules;

    fn builder(id: u32, tags: &[&str]) -> SelectedBuilder {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        SelectedBuilder {
            builderid: id,
            name: format!("B{id} 3.x"),
            class: TagRules::default().classify("B 3.x", &tags),
            tags,
            connected: true,
        }
    }

    fn parsed(builderid: u32, number: u32, failed: &[&str], flaky: &[&str]) -> ParsedBuild {
        ParsedBuild {
            builderid,
            number,
            summary: LogSummary {
                failed: failed.iter().map(|s| s.to_string()).collect(),
                passed_on_rerun: flaky.iter().map(|s| s.to_string()).collect(),
                ..LogSummary::default()
            },
        }
    }

    /// Builds read per builder, all passed unless their log was parsed (see [`parsed`]).
    fn read(entries: &[(u32, &[u32])]) -> BTreeMap<BuilderId, Vec<ReadBuild>> {
        entries
            .iter()
            .map(|(id, n)| (*id, n.iter().map(|n| (*n, BuildResult::Success)).collect()))
            .collect()
    }

    fn workers(entries: &[(u32, &str)]) -> BTreeMap<BuilderId, Vec<String>> {
        entries
            .iter()
            .map(|(id, w)| (*id, vec![w.to_string()]))
            .collect()
    }

    #[test]
    fn many_different_builders_is_a_likely_regression() {
        let bs = [
            builder(1, &["3.x", "stable"]),
            builder(2, &["3.x", "stable", "clang"]),
            builder(3, &["3.x", "refleak"]),
        ];
        let p = [
            parsed(1, 5, &["test_os"], &[]),
            parsed(2, 7, &["test_os"], &[]),
            parsed(3, 2, &["test_os"], &[]),
        ];
        let rows = matrix(
            &bs,
            &workers(&[(1, "a"), (2, "b"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7]), (3, &[2])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].test, "test_os");
        assert_eq!(rows[0].classification, Classification::LikelyRegression);
    }

    #[test]
    fn builders_sharing_a_tag_or_worker_point_at_the_platform() {
        let bs = [
            builder(1, &["3.x", "refleak"]),
            builder(2, &["3.x", "refleak", "clang"]),
            builder(3, &["3.x"]),
        ];
        let p = [
            parsed(1, 5, &["test_ssl"], &[]),
            parsed(2, 7, &["test_ssl"], &[]),
        ];
        let rows = matrix(
            &bs,
            &workers(&[(1, "a"), (2, "b"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7]), (3, &[])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            (rows[0].classification, rows[0].shared.as_deref()),
            (Classification::PlatformOrWorker, Some("tag refleak"))
        );
        let rows = matrix(
            &bs,
            &workers(&[(1, "w"), (2, "w"), (3, "c")]),
            &p,
            &read(&[(1, &[5]), (2, &[7])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].shared.as_deref(), Some("worker w"));
    }

    #[test]
    fn one_builder_every_time_is_persistent_sometimes_is_flaky() {
        let bs = [builder(1, &["3.x"])];
        let every = [
            parsed(1, 2, &["test_x"], &[]),
            parsed(1, 1, &["test_x"], &[]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &every,
            &read(&[(1, &[2, 1])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            rows[0].classification,
            Classification::PersistentOnOneBuilder
        );
        let o = &rows[0].occurrences[0];
        assert_eq!(
            (o.since, o.streak, o.streak_open_ended, o.persistent),
            (Some(1), 2, true, true)
        );
        // Failed, then a later build passed it: it comes and goes.
        let sometimes = [parsed(1, 2, &["test_x"], &[])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &sometimes,
            &read(&[(1, &[3, 2, 1])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].classification, Classification::Flaky);
        let rerun = [parsed(1, 2, &[], &["test_y"])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &rerun,
            &read(&[(1, &[2])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            (rows[0].test.as_str(), rows[0].classification),
            ("test_y", Classification::Flaky)
        );
    }

    #[test]
    fn a_single_failed_build_is_unknown() {
        let bs = [builder(1, &["3.x"])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &[parsed(1, 1, &["test_x"], &[])],
            &read(&[(1, &[1])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].classification, Classification::Unknown);
    }

    #[test]
    fn a_first_failure_after_green_builds_is_unknown_until_a_later_build_passes() {
        let bs = [builder(1, &["3.x"])];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &[parsed(1, 4, &["test_x"], &[])],
            &read(&[(1, &[4, 3, 2, 1])]),
            &KnownIssues::default(),
        );
        assert_eq!(rows[0].classification, Classification::Unknown);
        let o = &rows[0].occurrences[0];
        assert_eq!((o.since, o.streak, o.persistent), (Some(4), 1, false));
    }

    #[test]
    fn since_is_the_start_of_the_current_streak_and_an_old_streak_is_not_failing_since() {
        let bs = [builder(1, &["3.x"])];
        // #9 and #8 failed it, #10 and #11 passed.
        let p = [
            parsed(1, 9, &["test_x"], &[]),
            parsed(1, 8, &["test_x"], &[]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &p,
            &read(&[(1, &[11, 10, 9, 8])]),
            &KnownIssues::default(),
        );
        let o = &rows[0].occurrences[0];
        assert_eq!(
            (o.since, o.streak, o.passing_since, o.persistent),
            (None, 0, Some(10), false)
        );
        assert_eq!(rows[0].classification, Classification::Flaky);
        // Failing again in the newest build: since that build, not since #8.
        let p = [
            parsed(1, 12, &["test_x"], &[]),
            parsed(1, 9, &["test_x"], &[]),
            parsed(1, 8, &["test_x"], &[]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &p,
            &read(&[(1, &[12, 11, 10, 9, 8])]),
            &KnownIssues::default(),
        );
        let o = &rows[0].occurrences[0];
        assert_eq!((o.since, o.streak, o.passing_since), (Some(12), 1, None));
    }

    #[test]
    fn failing_the_newest_builds_in_a_row_is_persistent_as_release_says() {
        let bs = [builder(1, &["3.x"])];
        // Failed the three newest of four: release calls that persistent (2 in a row or more).
        let p = [
            parsed(1, 4, &["test_x"], &[]),
            parsed(1, 3, &["test_x"], &[]),
            parsed(1, 2, &["test_x"], &[]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &p,
            &read(&[(1, &[4, 3, 2, 1])]),
            &KnownIssues::default(),
        );
        let o = &rows[0].occurrences[0];
        assert_eq!(
            (o.since, o.streak, o.streak_open_ended, o.persistent),
            (Some(2), 3, false, true)
        );
        assert_eq!(
            rows[0].classification,
            Classification::PersistentOnOneBuilder
        );
        assert_eq!(DEFAULT_THRESHOLD, 2);
    }

    #[test]
    fn a_build_that_did_not_run_the_tests_neither_breaks_nor_continues_a_streak() {
        let bs = [builder(1, &["3.x"])];
        // #3 failed to compile: its log was not parsed, it says nothing about test_x.
        let p = [
            parsed(1, 4, &["test_x"], &[]),
            parsed(1, 2, &["test_x"], &[]),
        ];
        let read = BTreeMap::from([(
            1,
            vec![
                (4, BuildResult::Failure),
                (3, BuildResult::Failure),
                (2, BuildResult::Failure),
                (1, BuildResult::Success),
            ],
        )]);
        let rows = matrix(&bs, &BTreeMap::new(), &p, &read, &KnownIssues::default());
        let o = &rows[0].occurrences[0];
        assert_eq!((o.since, o.streak, o.persistent), (Some(2), 2, true));
    }

    #[test]
    fn builder_counts_tell_failing_builders_from_rerun_only_ones() {
        let bs = [builder(1, &["3.x"]), builder(2, &["3.x", "clang"])];
        let p = [
            parsed(1, 2, &["test_x"], &[]),
            parsed(1, 1, &["test_x"], &[]),
            parsed(2, 5, &[], &["test_x"]),
        ];
        let rows = matrix(
            &bs,
            &BTreeMap::new(),
            &p,
            &read(&[(1, &[2, 1]), (2, &[5])]),
            &KnownIssues::default(),
        );
        assert_eq!(
            rows[0].classification,
            Classification::PersistentOnOneBuilder
        );
        assert_eq!(rows[0].builder_counts(), (1, 1));
    }

    #[test]
    fn an_exception_in_the_test_step_goes_with_the_tests() {
        const EXCEPTION: Option<i64> = Some(4);
        assert_eq!(
            placement(Some(EXCEPTION), true),
            Placement::TestStepException
        );
        assert_eq!(
            placement(Some(EXCEPTION), false),
            Placement::TestStepException
        );
        assert_eq!(placement(Some(Some(2)), true), Placement::Tests);
        // No test step (a compile failure), or a test step without a log to parse.
        assert_eq!(placement(None, false), Placement::OutsideTests);
        assert_eq!(placement(Some(Some(2)), false), Placement::OutsideTests);
    }
}
