//! Unit tests of `test_health.rs` over hand-made histories.

use super::*;
use crate::model::classify::TagRules;
use crate::model::test_history::{dedup_messages, messages_for, repro_for};

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

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// A finished regrtest run (final summary read) failing `failed`, passing `rerun` on re-run.
fn log(failed: &[&str], rerun: &[&str]) -> Evidence {
    Evidence::Log(Box::new(LogSummary {
        failed: strings(failed),
        passed_on_rerun: strings(rerun),
        ..LogSummary::default()
    }))
}

/// A builder's history, oldest first, build numbers from 1, started an hour apart.
fn history(builderid: u32, evidence: Vec<Evidence>) -> Vec<WindowBuild> {
    evidence
        .into_iter()
        .enumerate()
        .map(|(i, e)| WindowBuild {
            builderid,
            number: i as u32 + 1,
            started_at: Some(1_000_000 + 3600 * i as i64 + i64::from(builderid)),
            evidence: e,
        })
        .collect()
}

fn pass() -> Evidence {
    Evidence::Passed
}

fn run(bs: &[SelectedBuilder], builds: &[WindowBuild]) -> (Vec<TestHealth>, Vec<InfraBuild>) {
    health(bs, builds, &KnownIssues::default())
}

#[test]
fn passed_on_rerun_on_several_builders_is_flaky_everywhere() {
    let bs = [builder(1, &["3.x"]), builder(2, &["3.x", "clang"])];
    let mut builds = history(1, vec![pass(), log(&[], &["test_x"]), pass()]);
    builds.extend(history(
        2,
        vec![log(&[], &["test_x"]), log(&[], &["test_x"])],
    ));
    let (tests, infra) = run(&bs, &builds);
    assert!(infra.is_empty());
    let t = &tests[0];
    assert_eq!(t.test, "test_x");
    assert_eq!((t.failures, t.flaky), (3, 3));
    assert_eq!(t.class, HealthClass::Flaky);
    assert_eq!(t.builders.len(), 2);
    // Most failures first.
    assert_eq!(t.builders[0].builderid, 2);
    assert_eq!(t.builders[0].timeline[0].cell, Cell::PassedOnRerun);
}

#[test]
fn a_failure_the_next_build_passes_is_flaky() {
    let bs = [builder(1, &["3.x"])];
    let builds = history(1, vec![pass(), log(&["test_x"], &[]), pass(), pass()]);
    let (tests, _) = run(&bs, &builds);
    let b = &tests[0].builders[0];
    assert_eq!((b.failures, b.flaky), (1, 1));
    assert_eq!(b.class, HealthClass::Flaky);
    assert_eq!(b.failing_since, None);
    assert_eq!(b.latest_failure, 2);
}

#[test]
fn builds_that_did_not_run_the_test_are_skipped_when_looking_for_the_next_pass() {
    let bs = [builder(1, &["3.x"])];
    // Passed in 1, failed in 2, compile failure in 3, passed in 4: an isolated failure, flaky.
    // Failed in 5, 6 did not run it: no later build ran it yet.
    let builds = history(
        1,
        vec![
            pass(),
            log(&["test_x"], &[]),
            Evidence::OutsideTests,
            pass(),
            log(&["test_x"], &[]),
            Evidence::OutsideTests,
        ],
    );
    let (tests, _) = run(&bs, &builds);
    let b = &tests[0].builders[0];
    assert_eq!((b.failures, b.flaky), (2, 1));
    let cells: Vec<Cell> = b.timeline.iter().map(|t| t.cell).collect();
    assert_eq!(
        cells,
        [
            Cell::NotRun,
            Cell::Failed,
            Cell::Passed,
            Cell::NotRun,
            Cell::Failed,
            Cell::Passed
        ]
    );
    // Build 5 failed and is the newest that ran it: failing since 5, only one build, flaky.
    assert_eq!(b.failing_since.map(|s| s.0), Some(5));
    assert_eq!(b.class, HealthClass::Flaky);
}

#[test]
fn a_run_of_failures_that_a_pass_ends_is_fixed_not_flaky() {
    // F F F P (the harness's `FFFP` builder): the last failure ends a run, it did not come and
    // go. Nor is a failure at the window's oldest edge (nothing before it) called flaky.
    let bs = [builder(1, &["3.x"]), builder(2, &["3.x"])];
    let mut builds = history(
        1,
        vec![
            log(&["test_x"], &[]),
            log(&["test_x"], &[]),
            log(&["test_x"], &[]),
            pass(),
        ],
    );
    builds.extend(history(2, vec![log(&["test_x"], &[]), pass(), pass()]));
    let (tests, _) = run(&bs, &builds);
    let t = &tests[0];
    assert_eq!((t.failures, t.flaky), (4, 0));
    assert_eq!(t.class, HealthClass::Fixed);
    for b in &t.builders {
        assert_eq!(b.class, HealthClass::Fixed, "{}", b.builder);
        assert_eq!(b.failing_since, None);
    }
    // Still failing on another builder: the test is not fixed.
    builds.extend(history(3, vec![pass(), log(&["test_x"], &[])]));
    let bs = [bs[0].clone(), bs[1].clone(), builder(3, &["3.x"])];
    let (tests, _) = run(&bs, &builds);
    assert_eq!(tests[0].class, HealthClass::New);
}

#[test]
fn failing_the_newest_builds_in_a_row_is_persistent_with_its_start() {
    let bs = [builder(1, &["3.x"]), builder(2, &["3.x"])];
    let mut builds = history(
        1,
        vec![
            pass(),
            log(&["test_y"], &[]),
            log(&["test_y"], &[]),
            log(&["test_y"], &[]),
        ],
    );
    builds.extend(history(2, vec![pass(), pass()]));
    let (tests, _) = run(&bs, &builds);
    let t = &tests[0];
    assert_eq!(t.class, HealthClass::Persistent);
    assert_eq!((t.failures, t.flaky), (3, 0));
    let b = &t.builders[0];
    assert_eq!(b.failing_since, Some((2, Some(1_003_601))));
    assert!(!b.since_open_ended);
    assert_eq!(b.first_seen, Some(1_003_601));
    assert_eq!(b.last_seen, Some(1_010_801));
}

#[test]
fn a_single_fresh_failure_is_new() {
    let bs = [builder(1, &["3.x"])];
    let builds = history(1, vec![pass(), pass(), log(&["test_z"], &[])]);
    let (tests, _) = run(&bs, &builds);
    assert_eq!(tests[0].class, HealthClass::New);
    assert_eq!(tests[0].builders[0].failing_since.map(|s| s.0), Some(3));
}

#[test]
fn a_test_failing_only_on_refleak_builders_is_grouped_by_that_tag() {
    let bs = [
        builder(1, &["3.x", "stable", "tier-1", "refleak"]),
        builder(2, &["3.x", "stable", "tier-1", "refleak", "freebsd"]),
        builder(3, &["3.x", "stable", "tier-1"]),
        builder(4, &["3.x", "stable", "tier-2", "nogil"]),
    ];
    let mut builds = history(1, vec![pass(), log(&["test_leak"], &[])]);
    builds.extend(history(2, vec![log(&["test_leak"], &[])]));
    builds.extend(history(3, vec![pass(), pass()]));
    builds.extend(history(4, vec![pass()]));
    let (tests, _) = run(&bs, &builds);
    assert_eq!(tests[0].shared_tags, ["refleak"]);
    // One builder's tags are no group.
    let (tests, _) = run(&bs, &builds[..2]);
    assert!(
        tests[0].shared_tags.is_empty(),
        "{:?}",
        tests[0].shared_tags
    );
    // Branch, stability and tier tags never group.
    let (tests, _) = run(&bs[..2], &builds);
    assert!(
        tests[0].shared_tags.is_empty(),
        "{:?}",
        tests[0].shared_tags
    );
}

#[test]
fn infrastructure_failures_are_counted_apart_never_against_a_test() {
    let bs = [builder(1, &["3.x"])];
    let disk_full = LogSummary {
        failed: strings(&["test_disk"]),
        infrastructure: strings(&["No space left on device"]),
        ..LogSummary::default()
    };
    let killed = LogSummary {
        rebuilt_from_events: true,
        infrastructure: strings(&["Buildbot killed the step: command timed out"]),
        last_running: Some("test_hang".into()),
        ..LogSummary::default()
    };
    let e = vec![
        evidence(
            BuildResult::Failure,
            Some(Some(2)),
            Some(disk_full),
            false,
            false,
        ),
        evidence(
            BuildResult::Failure,
            Some(Some(2)),
            Some(killed),
            false,
            false,
        ),
        evidence(BuildResult::Failure, Some(Some(2)), None, true, false),
        evidence(BuildResult::Exception, Some(Some(4)), None, false, false),
        evidence(BuildResult::Failure, None, None, false, true),
        evidence(BuildResult::Failure, None, None, false, false),
    ];
    let builds = history(1, e);
    let (tests, infra) = run(&bs, &builds);
    assert!(tests.is_empty(), "{tests:?}");
    let kinds: Vec<InfraKind> = infra.iter().map(|i| i.infra.kind).collect();
    // Newest first; the compile failure (no test step) is no infrastructure failure.
    assert_eq!(
        kinds,
        [
            InfraKind::LogUnreadable,
            InfraKind::TestStepException,
            InfraKind::LogDeleted,
            InfraKind::NoTestNamed,
            InfraKind::Resources,
        ]
    );
    assert_eq!(infra[4].infra.tests, ["test_disk"]);
    assert_eq!(infra[3].infra.last_test.as_deref(), Some("test_hang"));
    let counts = infra_counts(&infra);
    assert_eq!(counts.len(), InfraKind::ALL.len());
    assert!(
        counts
            .iter()
            .all(|(k, n)| *n == usize::from(*k != InfraKind::NoLog))
    );
}

#[test]
fn a_test_crash_is_the_tests_failure() {
    let crashed = LogSummary {
        crashes: vec![("test_crash".into(), "Exit code -11 (SIGSEGV)".into())],
        ..LogSummary::default()
    };
    let e = evidence(
        BuildResult::Failure,
        Some(Some(2)),
        Some(crashed),
        false,
        false,
    );
    let (tests, infra) = run(&[builder(1, &["3.x"])], &history(1, vec![e]));
    assert!(infra.is_empty());
    assert_eq!(tests[0].test, "test_crash");
    assert_eq!(
        tests[0].builders[0].timeline[0].symptom,
        Some(Symptom::Crashed)
    );
}

#[test]
fn sorted_by_failures_then_builders_then_newest_then_name() {
    let bs = [builder(1, &["3.x"]), builder(2, &["3.x"])];
    let mut builds = history(
        1,
        vec![
            log(&["test_b", "test_many"], &[]),
            log(&["test_many", "test_a"], &[]),
            log(&["test_many"], &[]),
        ],
    );
    builds.extend(history(
        2,
        vec![log(&["test_wide"], &[]), log(&["test_wide"], &[])],
    ));
    builds.extend(history(1, vec![]));
    let (tests, _) = run(&bs, &builds);
    let names: Vec<&str> = tests.iter().map(|t| t.test.as_str()).collect();
    // test_many 3; test_wide 2; test_a and test_b 1 each, on one builder: test_a is newer.
    assert_eq!(names, ["test_many", "test_wide", "test_a", "test_b"]);
}

#[test]
fn one_test_is_none_when_nothing_failed_it() {
    let bs = [builder(1, &["3.x"])];
    let builds = history(1, vec![pass(), log(&["test_x"], &[])]);
    let k = KnownIssues::default();
    assert!(one_test(&bs, &builds, "test_y", &k).is_none());
    let t = one_test(&bs, &builds, "test_x", &k).expect("failed once");
    assert_eq!(t.builders[0].timeline.len(), 2);
}

#[test]
fn messages_are_the_tests_own_banners_and_what_follows() {
    let s = LogSummary {
        excerpts: strings(&[
            "FAIL: test_a (test.test_x.T.test_a)",
            "AssertionError: 1 != 2",
            "ERROR: test_b (test.test_xy.T.test_b)",
            "OSError: boom",
            "FAIL: test_c (test_x.T.test_c)",
            "ValueError: --testdir names it without `test.`",
        ]),
        ..LogSummary::default()
    };
    assert_eq!(
        messages_for(&s, "test_x"),
        [
            "FAIL: test_a (test.test_x.T.test_a)",
            "AssertionError: 1 != 2",
            "FAIL: test_c (test_x.T.test_c)",
            "ValueError: --testdir names it without `test.`",
        ]
    );
    let d = dedup_messages(vec![
        strings(&["a", "b"]),
        strings(&["b"]),
        strings(&["c", "b"]),
    ]);
    assert_eq!(d[0], ("b".to_string(), 3));
    assert_eq!(d.len(), 3);
}

#[test]
fn repro_is_aimed_at_the_test() {
    let s = LogSummary {
        command: Some("./python -m test -j1 --randseed=7 test_a test_b".into()),
        seed: Some(7),
        failed: strings(&["test_a", "test_b"]),
        order: strings(&["test_a", "test_b"]),
        ..LogSummary::default()
    };
    assert_eq!(repro_for(&s, "test_b").expect("plan").target, "test_b");
    assert!(repro_for(&s, "test_c").is_none());
}
