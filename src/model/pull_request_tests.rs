use super::*;
use crate::api::types::{Build, Change};

fn change(id: u64, rev: &str) -> Change {
    Change {
        changeid: id,
        revision: Some(rev.to_string()),
        branch: Some(merge_ref(140_100)),
        author: String::new(),
        comments: String::new(),
        when_timestamp: None,
        properties: Default::default(),
    }
}

#[test]
fn a_pr_builder_pairs_with_the_same_platforms_target_builder() {
    let names = [
        "AMD64 Fedora Stable 3.x",
        "AMD64 Fedora Stable Clang 3.x",
        "ARM Raspbian 3.x",
    ];
    assert_eq!(
        paired_builder("AMD64 Fedora Stable PR", "PR", "3.x", &names),
        Some("AMD64 Fedora Stable 3.x")
    );
    assert_eq!(
        paired_builder("AMD64 Windows PR", "PR", "3.x", &names),
        None
    );
    // Only the last word is the branch: no "PR" inside a name is replaced.
    assert_eq!(paired_builder("PR Box 3.x", "PR", "3.x", &names), None);
    assert_eq!(merge_ref(12), "refs/pull/12/merge");
}

#[test]
fn older_heads_collapse_under_the_newest() {
    let changes = [
        change(3, "aaa"),
        change(9, "ccc"),
        change(5, "bbb"),
        change(10, "ccc"),
    ];
    let h = heads(&changes).expect("heads");
    assert_eq!(h.newest.changeid, 10);
    // The re-sent head (same revision) is one head.
    let older: Vec<u64> = h.older.iter().map(|c| c.changeid).collect();
    assert_eq!(older, [5, 3]);
    assert!(heads(&[]).is_none());
}

#[test]
fn a_rerun_replaces_the_first_build_and_older_head_builders_are_named() {
    let newest = [
        Build::for_test(11, 1, 4, Some(2)),
        Build::for_test(12, 1, 5, Some(0)),
        Build::for_test(13, 2, 3, None),
    ];
    let latest = newest_per_builder(&newest);
    let numbers: Vec<(u32, u32)> = latest.iter().map(|b| (b.builderid, b.number)).collect();
    assert_eq!(numbers, [(1, 5), (2, 3)]);
    let older = [
        Build::for_test(5, 1, 2, Some(0)),
        Build::for_test(6, 3, 1, Some(2)),
    ];
    assert_eq!(only_older(&latest, &older), [3]);
}

#[test]
fn a_pull_request_ref_names_its_number() {
    assert_eq!(number_of_ref("refs/pull/140000/merge"), Some(140000));
    assert_eq!(number_of_ref("refs/pull/7/head"), Some(7));
    assert_eq!(number_of_ref(&merge_ref(12)), Some(12));
    for other in [
        "main",
        "3.14",
        "refs/pull/x/merge",
        "refs/pull/7/other",
        "refs/heads/7",
    ] {
        assert_eq!(number_of_ref(other), None, "{other}");
    }
}
