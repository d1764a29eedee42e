//! Unit tests of `failures.rs` (kept apart: they are as long as the code).

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
        paused: false,
        pause_reason: None,
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
    use BuildResult::{Exception, Failure};
    const EXCEPTION: Option<i64> = Some(4);
    let failing = parsed(1, 1, &["test_os"], &[]).summary;
    assert_eq!(
        placement(Exception, Some(EXCEPTION), Some(&failing), false),
        Placement::TestStepException
    );
    assert_eq!(
        placement(Exception, Some(EXCEPTION), None, false),
        Placement::TestStepException
    );
    assert_eq!(
        placement(Failure, Some(Some(2)), Some(&failing), false),
        Placement::Tests
    );
}

#[test]
fn a_failed_build_no_test_explains_is_placed_where_it_is_listed() {
    use BuildResult::{Exception, Failure, Warnings};
    let nothing = LogSummary::default();
    let failed_test_step = Some(Some(2));
    // The test step failed: the log names no test, or there is no log to read.
    assert_eq!(
        placement(Failure, failed_test_step, Some(&nothing), false),
        Placement::NoFailingTest(NoTestWhy::LogNamesNoTest)
    );
    assert_eq!(
        placement(Failure, failed_test_step, None, true),
        Placement::NoFailingTest(NoTestWhy::LogDeleted)
    );
    assert_eq!(
        placement(Exception, failed_test_step, None, false),
        Placement::NoFailingTest(NoTestWhy::NoLog)
    );
    // No test step (a compile failure), or the tests passed and a later step failed.
    assert_eq!(
        placement(Failure, None, None, false),
        Placement::OutsideTests
    );
    assert_eq!(
        placement(Failure, Some(Some(0)), Some(&nothing), false),
        Placement::OutsideTests
    );
    // WARNINGS is no failure: its tests that passed on re-run go to the matrix.
    let rerun = parsed(1, 1, &[], &["test_os"]).summary;
    assert_eq!(
        placement(Warnings, Some(Some(1)), Some(&rerun), false),
        Placement::Tests
    );
    // Passed on re-run does not explain a FAILURE (env changed with --fail-env-changed does
    // not name a failing test either).
    assert_eq!(
        placement(Failure, failed_test_step, Some(&rerun), false),
        Placement::NoFailingTest(NoTestWhy::LogNamesNoTest)
    );
}

#[test]
fn a_log_cut_short_is_no_pass_of_the_tests_it_does_not_name() {
    let bs = [builder(1, &["3.x"])];
    // #3 failed test_os after green builds; #4 was killed before any summary, its progress
    // lines naming test_a only.
    let mut killed = parsed(1, 4, &[], &[]);
    killed.summary.rebuilt_from_events = true;
    killed.summary.order = vec!["test_a".into()];
    let p = [parsed(1, 3, &["test_os"], &[]), killed.clone()];
    use BuildResult::{Failure, Success};
    let history = BTreeMap::from([(
        1,
        vec![(1, Success), (2, Success), (3, Failure), (4, Failure)],
    )]);
    let rows = matrix(&bs, &BTreeMap::new(), &p, &history, &KnownIssues::default());
    assert_eq!(rows[0].classification, Classification::Unknown);
    assert_eq!(rows[0].occurrences[0].passing_since, None);
    assert_eq!(rows[0].occurrences[0].since, Some(3));
    // Had its progress lines shown test_os pass, it would be a pass: then flaky.
    killed.summary.order.push("test_os".into());
    let p = [parsed(1, 3, &["test_os"], &[]), killed];
    let rows = matrix(&bs, &BTreeMap::new(), &p, &history, &KnownIssues::default());
    assert_eq!(rows[0].classification, Classification::Flaky);
    assert_eq!(rows[0].occurrences[0].passing_since, Some(4));
}

#[test]
fn a_worker_or_tag_every_builder_of_the_branch_has_is_no_platform_evidence() {
    // The tester's fleet: every builder of 3.x runs on cases-worker; test_threading fails on
    // two of them, the third passes it.
    let bs = [
        builder(1, &["3.x", "refleak"]),
        builder(2, &["3.x", "refleak"]),
        builder(3, &["3.x", "refleak"]),
    ];
    let p = [
        parsed(1, 5, &["test_threading"], &[]),
        parsed(2, 7, &["test_threading"], &[]),
    ];
    let same_worker = workers(&[
        (1, "cases-worker"),
        (2, "cases-worker"),
        (3, "cases-worker"),
    ]);
    let read = read(&[(1, &[5]), (2, &[7]), (3, &[3])]);
    let rows = matrix(&bs, &same_worker, &p, &read, &KnownIssues::default());
    assert_eq!(
        (rows[0].classification, rows[0].shared.as_deref()),
        (Classification::LikelyRegression, None)
    );
    // Failing on every builder of the branch: nothing sets the failing ones apart.
    let all = [
        parsed(1, 5, &["test_threading"], &[]),
        parsed(2, 7, &["test_threading"], &[]),
        parsed(3, 3, &["test_threading"], &[]),
    ];
    let rows = matrix(&bs, &same_worker, &all, &read, &KnownIssues::default());
    assert_eq!(rows[0].classification, Classification::LikelyRegression);
    // A worker one passing builder also runs on is not the failing builders' own.
    let rows = matrix(
        &[
            builder(1, &["3.x"]),
            builder(2, &["3.x"]),
            builder(3, &["3.x"]),
        ],
        &workers(&[(1, "w"), (2, "w"), (3, "w")]),
        &p,
        &read,
        &KnownIssues::default(),
    );
    assert_eq!(rows[0].classification, Classification::LikelyRegression);
}

#[test]
fn a_shared_worker_the_passing_builders_lack_is_platform_evidence() {
    let bs = [
        builder(1, &["3.x"]),
        builder(2, &["3.x"]),
        builder(3, &["3.x"]),
    ];
    let p = [
        parsed(1, 5, &["test_threading"], &[]),
        parsed(2, 7, &["test_threading"], &[]),
    ];
    let mut ws = workers(&[(1, "shared"), (2, "shared"), (3, "other")]);
    // A builder may be configured on several workers: the one the failing builders share and
    // the passing one lacks is named, not the one they all have.
    for w in ws.values_mut() {
        w.insert(0, "everywhere".to_string());
    }
    let rows = matrix(
        &bs,
        &ws,
        &p,
        &read(&[(1, &[5]), (2, &[7]), (3, &[3])]),
        &KnownIssues::default(),
    );
    assert_eq!(
        (rows[0].classification, rows[0].shared.as_deref()),
        (Classification::PlatformOrWorker, Some("worker shared"))
    );
}

#[test]
fn a_log_note_says_a_kill_a_running_test_or_unread_failures_and_nothing_else() {
    let search = |unlocated| SearchOutcome {
        counted: 3,
        unlocated,
        requests: 4,
        bytes: 100,
        rounds: 2,
        budget_spent: unlocated > 0,
    };
    let plain = LogSummary::default();
    assert_eq!(log_note(1, 5, &plain, None), None);
    assert_eq!(log_note(1, 5, &plain, Some(&search(0))), None);
    let note = log_note(1, 5, &plain, Some(&search(2))).expect("unread failures");
    assert_eq!(
        note.unlocated,
        Some(Unlocated {
            counted: 3,
            unlocated: 2,
            budget_spent: true
        })
    );
    let killed = LogSummary {
        infrastructure: vec!["Buildbot killed the step: command timed out: 1200 seconds".into()],
        last_running: Some("test_hang".into()),
        ..LogSummary::default()
    };
    let note = log_note(1, 5, &killed, None).expect("killed");
    assert_eq!(
        (note.causes.len(), note.last_test.as_deref(), note.unlocated),
        (1, Some("test_hang"), None)
    );
}
