use super::*;
use crate::api::types::{Build, Change};

fn change(id: u64, rev: &str) -> Change {
    Change {
        changeid: id,
        revision: Some(rev.to_string()),
        branch: Some("main".into()),
        author: "A <a@example.org>".into(),
        comments: format!("commit {rev}"),
        when_timestamp: None,
        properties: Default::default(),
    }
}

fn build(number: u32, results: Option<i64>, rev: &str) -> Build {
    let mut b = Build::for_test(u64::from(number) + 100, 7, number, results);
    b.properties
        .insert("got_revision".into(), serde_json::json!([rev, "Build"]));
    b
}

/// Commits c1..c5 (change ids 1..5).
fn commits() -> Vec<Change> {
    (1..=5).map(|i| change(i, &format!("c{i}"))).collect()
}

#[test]
fn a_commit_batched_into_a_newer_commits_build_is_built_by_it() {
    // Builds of c1 and c3 (which also tested c2, pushed with it), newest first.
    let builds = vec![build(2, Some(2), "c3"), build(1, Some(0), "c1")];
    let t = tested_by(&builds, &[], &commits(), "c2", Some(2)).expect("tested");
    assert_eq!(t.build.number, 2);
    assert_eq!(t.inside.as_deref(), Some("c3"));
    // Its own build, when there is one, is the one.
    let t = tested_by(&builds, &[], &commits(), "c1", Some(1)).expect("tested");
    assert_eq!((t.build.number, t.inside), (1, None));
    // A newer commit than any build: not built yet.
    assert!(tested_by(&builds, &[], &commits(), "c4", Some(4)).is_none());
}

#[test]
fn the_oldest_build_of_a_newer_commit_tested_it() {
    let builds = vec![
        build(3, Some(0), "c5"),
        build(2, Some(2), "c4"),
        build(1, Some(0), "c1"),
    ];
    let t = tested_by(&builds, &[], &commits(), "c2", Some(2)).expect("tested");
    assert_eq!(t.build.number, 2);
}

#[test]
fn previous_decisive_skips_exceptions_and_running_builds() {
    let builds = vec![
        build(4, Some(2), "c4"),
        build(3, Some(4), "c3"),
        build(2, None, "c2"),
        build(1, Some(0), "c1"),
    ];
    assert_eq!(previous_decisive(&builds, 4).map(|b| b.number), Some(1));
    assert_eq!(last_green(&builds, 4).map(|b| b.number), Some(1));
    assert!(previous_decisive(&builds, 1).is_none());
}

#[test]
fn a_test_the_previous_build_failed_is_pre_existing() {
    let cur = vec!["test_a".to_string(), "test_b".to_string()];
    let before = Before::Failed(["test_a".to_string()].into());
    let (new, old, n) = split_failures(&cur, &before);
    assert_eq!(
        (new, old, n),
        (vec!["test_b".into()], vec!["test_a".into()], Novelty::New)
    );
    let (new, old, n) = split_failures(&cur[..1], &before);
    assert!(new.is_empty());
    assert_eq!((old.len(), n), (1, Novelty::PreExisting));
    let (new, _, n) = split_failures(&cur, &Before::Passed);
    assert_eq!((new.len(), n), (2, Novelty::New));
}

#[test]
fn a_failure_outside_the_tests_is_new_only_after_a_pass() {
    assert_eq!(split_failures(&[], &Before::Passed).2, Novelty::New);
    assert_eq!(split_failures(&[], &Before::Nothing).2, Novelty::New);
    assert_eq!(
        split_failures(&[], &Before::Failed(Default::default())).2,
        Novelty::PreExisting
    );
}

#[test]
fn suspects_are_the_intersection_of_the_builders_windows() {
    // One builder was green at c2, another (a compile error at c2) at c1; both fail at c4.
    let w = intersect(&[
        Window {
            after: Some(2),
            upto: 4,
        },
        Window {
            after: Some(1),
            upto: 4,
        },
    ])
    .expect("overlap");
    let revs: Vec<_> = commits_in(&commits(), &w)
        .iter()
        .map(|c| c.revision.clone().expect("revision"))
        .collect();
    assert_eq!(revs, ["c3", "c4"]);
    // A builder with no green build read leaves the window open below, unless another bounds it.
    assert_eq!(
        intersect(&[Window {
            after: None,
            upto: 3
        }]),
        Some(Window {
            after: None,
            upto: 3
        })
    );
    assert_eq!(
        intersect(&[
            Window {
                after: None,
                upto: 5
            },
            Window {
                after: Some(2),
                upto: 3
            }
        ]),
        Some(Window {
            after: Some(2),
            upto: 3
        })
    );
    // Windows that do not overlap: broken at different times.
    assert_eq!(
        intersect(&[
            Window {
                after: Some(3),
                upto: 5
            },
            Window {
                after: Some(1),
                upto: 2
            }
        ]),
        None
    );
}

#[test]
fn the_outcome_puts_new_failures_first_and_never_0_with_an_unread_builder() {
    use State::*;
    let o = |s: &[(State, Option<Novelty>)]| outcome(s);
    assert_eq!(
        o(&[(Passed, None), (Failed, Some(Novelty::PreExisting))]),
        Outcome::NoNewFailure
    );
    assert_eq!(
        o(&[(Failed, Some(Novelty::New)), (Unread, None)]),
        Outcome::NewFailures
    );
    assert_eq!(
        o(&[(Passed, None), (Unread, None), (Building, None)]),
        Outcome::Incomplete
    );
    assert_eq!(o(&[(Passed, None), (NotBuilt, None)]), Outcome::Pending);
    use crate::exit_code::for_outcome;
    assert_eq!(for_outcome(Outcome::NewFailures), 13);
    assert_eq!(for_outcome(Outcome::Pending), 14);
    assert_eq!(for_outcome(Outcome::Incomplete), 6);
    assert_eq!(for_outcome(Outcome::NoNewFailure), 0);
    assert!(waiting(&[Passed, Building]));
    assert!(!waiting(&[Passed, Failed, Unread]));
}

fn of_request(mut b: Build, request: u64) -> Build {
    b.buildrequestid = Some(request);
    b
}

#[test]
fn a_retry_stands_for_its_re_run_of_the_same_request() {
    let pool = vec![
        of_request(build(4, Some(0), "c2"), 9),
        of_request(build(3, Some(5), "c2"), 9),
        of_request(build(2, Some(5), "c2"), 9),
        of_request(build(1, Some(5), "c1"), 8),
    ];
    // Retried twice: the last re-run.
    assert_eq!(rerun(&pool[2], &pool).number, 4);
    // No re-run yet: itself.
    assert_eq!(rerun(&pool[3], &pool).number, 1);
    // Not a retry: itself.
    assert_eq!(rerun(&pool[0], &pool).number, 4);
}

#[test]
fn the_build_to_judge_skips_cancelled_rebuilds_and_follows_retries() {
    // A batched commit (c2) whose first newer build (c3, #2) was retried as #3.
    let builds = vec![
        of_request(build(3, Some(2), "c3"), 9),
        of_request(build(2, Some(5), "c3"), 9),
        build(1, Some(0), "c1"),
    ];
    let t = tested_by(&builds, &[], &commits(), "c2", Some(2)).expect("tested");
    assert_eq!((t.build.number, t.inside.as_deref()), (3, Some("c3")));
    assert_eq!(state_of(t.build), State::Failed);
    // Built, then a rebuild cancelled: the finished build is judged.
    let direct = vec![build(5, Some(6), "c4"), build(4, Some(0), "c4")];
    let t = tested_by(&[], &direct, &commits(), "c4", Some(4)).expect("tested");
    assert_eq!(state_of(t.build), State::Passed);
    // Only cancelled: cancelled.
    let t = tested_by(&[], &direct[..1], &commits(), "c4", Some(4)).expect("tested");
    assert_eq!(state_of(t.build), State::Cancelled);
}

#[test]
fn cancelled_and_skipped_count_as_not_built_but_are_not_waited_for() {
    for s in [State::Cancelled, State::Skipped] {
        assert_eq!(
            outcome(&[(State::Passed, None), (s, None)]),
            Outcome::Pending
        );
        assert!(!waiting(&[State::Passed, s]));
    }
}

#[test]
fn an_exception_is_compared_with_the_previous_finished_build_whatever_it_was() {
    // #2 passed, #3 and #4 hit the same exception: #4 is compared with #3 (pre-existing), not
    // with #2 (which would make the commit of #4 look guilty). A failure still skips
    // exceptions back to the previous decisive build.
    let builds = vec![
        build(1, Some(2), "a"),
        build(2, Some(0), "b"),
        build(3, Some(4), "c"),
        build(4, Some(4), "d"),
        build(5, Some(2), "e"),
    ];
    assert_eq!(
        compared_with(&builds, &builds[3]).map(|b| b.number),
        Some(3)
    );
    assert_eq!(
        compared_with(&builds, &builds[2]).map(|b| b.number),
        Some(2)
    );
    assert_eq!(
        compared_with(&builds, &builds[4]).map(|b| b.number),
        Some(2)
    );
    let (_, _, novelty) = split_failures(&[], &Before::Failed(Default::default()));
    assert_eq!(novelty, Novelty::PreExisting);
}

#[test]
fn a_short_revision_is_ten_characters_cut_at_a_character_boundary() {
    assert_eq!(short_revision("8a163284d6def42f01fd"), "8a163284d6");
    assert_eq!(short_revision("abc"), "abc");
    assert_eq!(short_revision("ééééééééééé"), "éééééééééé");
}
