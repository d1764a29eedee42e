//! The same reports on an older Buildbot: the real Buildbot 3.0.3 master scripts/test.sh
//! starts (`harness.py up … --fleet cache --buildbot 3.0.3`, its manifest in
//! `BBREPORT_TEST_OLD_MANIFEST`): no `/config` (the version is read from the web root), and
//! `changes` read by pages (before 3.9). What differs by version is in README, "Master
//! versions"; tests/it/old_master.rs has the same master's rules on a longer history.

use std::path::Path;

use crate::common::*;

fn old_manifest() -> Manifest {
    let path = std::env::var("BBREPORT_TEST_OLD_MANIFEST").expect(
        "BBREPORT_TEST_OLD_MANIFEST is not set: run scripts/test.sh, which starts the 3.0.3 master",
    );
    load_manifest(Path::new(&path))
}

#[test]
#[ignore = "needs the real Buildbot 3.0.3 master: run scripts/test.sh"]
fn summary_matches_what_the_older_master_ran() {
    let m = old_manifest();
    let o = live(&["--server", &m.server, "--format", "json", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let mut shown: Vec<(String, String)> = v["branches"][0]["builders"]
        .as_array()
        .expect("builders")
        .iter()
        .map(|b| (b["name"].to_string(), b["status"].to_string()))
        .collect();
    // `up` builds round 1 only on this fleet: each builder's first letter (P: success).
    let mut expected: Vec<(String, String)> = m
        .builders
        .iter()
        .filter(|b| b.branch == "3.x")
        .map(|b| {
            let status = match b.scenario.chars().next() {
                Some('P') => "success",
                other => panic!("unexpected first build {other:?}"),
            };
            (format!("{:?}", b.name), format!("{status:?}"))
        })
        .collect();
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected);
}

#[test]
#[ignore = "needs the real Buildbot 3.0.3 master: run scripts/test.sh"]
fn console_shows_the_newest_commits_and_stats_name_the_version() {
    let m = old_manifest();
    let version = m.buildbot.clone().expect("the manifest names its Buildbot");
    assert!(
        !version.starts_with('4'),
        "this master is meant to be older: {version}"
    );
    let o = live(&[
        "--server", &m.server, "--format", "json", "--stats", "console", "3.x",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("(Buildbot {version})")),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["git_branch"].as_str(), Some("main"));
    let shown: Vec<&str> = v["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .filter_map(|c| c["revision"].as_str())
        .collect();
    let mut sent: Vec<&str> = m
        .commits
        .iter()
        .filter(|c| c.branch == "3.x")
        .map(|c| c.revision.as_str())
        .collect();
    sent.reverse();
    assert_eq!(shown, sent, "newest first, every commit sent");
}

#[test]
#[ignore = "needs the real Buildbot 3.0.3 master: run scripts/test.sh"]
fn release_at_a_revision_finds_its_builds() {
    let m = old_manifest();
    let built = m
        .commits
        .iter()
        .rfind(|c| c.branch == "3.x" && c.built)
        .expect("a built 3.x commit");
    let o = live(&[
        "--server",
        &m.server,
        "--format",
        "json",
        "release",
        "--at",
        &built.revision[..10],
    ]);
    assert!(matches!(code(&o), 0 | 10 | 11 | 12), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(&built.revision), "{text}");
}
