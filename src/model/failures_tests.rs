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
