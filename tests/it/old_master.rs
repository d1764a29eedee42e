//! A master before Buildbot 3.9 (the fake 3.0.3 of `common::old_master`), on more history than
//! the harness's real old master holds: `console` and `release --at` read `changes` by pages of
//! `changeid` and filter them here, never trusting a branch or revision query (which such a
//! master answers with the *oldest* matches); a short revision is unique only if no older page
//! holds another; a branch cut short by the page budget says so; and the version is read in
//! the first round of requests by `-v`, `--stats` and `watch --until-complete`.

use std::time::Duration;

use crate::common::old_master::{Build, Change, Fake, OldMaster, serve_old_master};
use crate::common::*;

/// Read by `release --at 5eed…`: on the third page of changes (ids 300 to 101).
const LATER: &str = "5eed5eed00000000000000000000000000000250";
/// Two commits sharing the prefix `abcd`: on the first page and on the third.
const AMBIGUOUS_NEW: &str = "abcd111111111111111111111111111111111690";
const AMBIGUOUS_OLD: &str = "abcd222222222222222222222222222222222150";
const BUILDERS: u32 = 3;

/// 700 changes, alternately on `3.13` and `main` (even ids), four pages of 200. Every builder
/// built the commit of change 250 (build 1), then changes 692, 694, …, 700 (builds 2 to 6).
fn small_history() -> Fake {
    let mut changes: Vec<Change> = (1..=700)
        .map(|id| Change::new(id, if id % 2 == 0 { "main" } else { "3.13" }))
        .collect();
    changes[249] = Change::new(250, "main").with_revision(LATER);
    changes[689] = Change::new(690, "main").with_revision(AMBIGUOUS_NEW);
    changes[149] = Change::new(150, "3.13").with_revision(AMBIGUOUS_OLD);
    let mut builds = Vec::new();
    for builderid in 1..=BUILDERS {
        builds.push(Build {
            builderid,
            number: 1,
            revision: LATER.into(),
        });
        for number in 2..=6u32 {
            builds.push(Build {
                builderid,
                number,
                revision: changes[usize::try_from(690 + 2 * (number - 1) - 1).expect("index")]
                    .revision
                    .clone(),
            });
        }
    }
    Fake {
        builders: BUILDERS,
        changes,
        builds,
        hold_lists: false,
    }
}

fn revision_of(fake: &Fake, changeid: u64) -> String {
    fake.changes
        .iter()
        .find(|c| c.changeid == changeid)
        .expect("a change")
        .revision
        .clone()
}

fn run(master: &OldMaster, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--server", master.url.as_str()];
    all.extend_from_slice(args);
    bbreport(&all)
}

/// The `changes` queries made, and that none filtered by branch or revision (which a 3.0.3
/// master answers with the oldest matches, after reading its whole table).
fn changes_pages(master: &OldMaster) -> Vec<String> {
    let asked: Vec<String> = master
        .paths()
        .into_iter()
        .filter(|p| p.starts_with("/api/v2/changes?"))
        .collect();
    for p in &asked {
        let query = p.split_once('?').map_or("", |(_, q)| q);
        assert!(
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .all(|(k, _)| k != "branch" && !k.starts_with("revision")),
            "a query the old master filters in Python: {p}"
        );
    }
    asked
}

#[test]
fn console_shows_the_branch_newest_commits() {
    let fake = small_history();
    let newest: Vec<String> = [700, 698, 696, 694, 692]
        .iter()
        .map(|id| revision_of(&fake, *id))
        .collect();
    let master = serve_old_master(fake);
    let o = run(
        &master,
        &[
            "--no-cache",
            "--format",
            "json",
            "--stats",
            "console",
            "3.x",
            "--limit",
            "5",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("(Buildbot 3.0.3)"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["git_branch"].as_str(), Some("main"));
    let shown: Vec<&str> = v["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .filter_map(|c| c["revision"].as_str())
        .collect();
    assert_eq!(shown, newest, "the newest five of main, newest first");
    // The first page holds them all.
    assert_eq!(changes_pages(&master).len(), 1, "{:#?}", master.paths());
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

#[test]
fn release_at_finds_a_revision_on_a_later_page() {
    let master = serve_old_master(small_history());
    let o = run(
        &master,
        &[
            "--no-cache",
            "--format",
            "json",
            "release",
            "--at",
            "5eed5e",
        ],
    );
    assert!(matches!(code(&o), 0 | 10 | 11 | 12), "{}", stderr(&o));
    let r = parse_release(&o);
    let text = stdout(&o);
    assert!(text.contains(LATER), "{text}");
    assert_eq!(r.verdicts(), [("3.x", "releasable")], "{text}");
    // Read to the table's end (a short fourth page) to know no older commit shares the prefix.
    let pages = changes_pages(&master);
    assert_eq!(pages.len(), 4, "{pages:#?}");
    assert!(
        !stderr(&o).contains("older ones were not read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_short_revision_matching_commits_on_two_pages_is_ambiguous() {
    let master = serve_old_master(small_history());
    let o = run(&master, &["--no-cache", "release", "--at", "abcd"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("revision 'abcd' is ambiguous")
            && err.contains(AMBIGUOUS_NEW)
            && err.contains(AMBIGUOUS_OLD),
        "{err}"
    );
    assert!(err.contains("hint: give more hex digits"), "{err}");
    // Two matches are enough: the fourth page is not read.
    assert_eq!(changes_pages(&master).len(), 3, "{:#?}", master.paths());
}

/// 10,100 changes (past the 50 pages of 200 read at most), on `3.13` except the three newest
/// and forty of the oldest, on `main`; every builder built the three newest.
fn long_history() -> Fake {
    let changes: Vec<Change> = (1..=10_100)
        .map(|id| {
            Change::new(
                id,
                if id > 10_097 || id <= 40 {
                    "main"
                } else {
                    "3.13"
                },
            )
        })
        .collect();
    let mut builds = Vec::new();
    for builderid in 1..=BUILDERS {
        for number in 1..=3u32 {
            builds.push(Build {
                builderid,
                number,
                revision: changes[10_097 + number as usize - 1].revision.clone(),
            });
        }
    }
    Fake {
        builders: BUILDERS,
        changes,
        builds,
        hold_lists: false,
    }
}

#[test]
fn console_warns_once_when_the_page_budget_cuts_the_branch_short() {
    let master = serve_old_master(long_history());
    let o = run(
        &master,
        &[
            "--no-cache",
            "--format",
            "json",
            "console",
            "3.x",
            "--limit",
            "5",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["commits"].as_array().map(Vec::len), Some(3), "{v}");
    let err = stderr(&o);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(
        warnings[0].contains("only 3 commits of main among the master's newest 10000 changes")
            && warnings[0].contains("fewer than the 5 asked for"),
        "{err}"
    );
    assert_eq!(changes_pages(&master).len(), 50);
}

#[test]
fn a_short_revision_unique_within_the_page_budget_is_said_so() {
    let fake = long_history();
    let newest = revision_of(&fake, 10_100);
    let master = serve_old_master(fake);
    let o = run(
        &master,
        &[
            "--no-cache",
            "--format",
            "json",
            "release",
            "--at",
            &newest[..10],
        ],
    );
    assert!(matches!(code(&o), 0 | 10 | 11 | 12), "{}", stderr(&o));
    assert!(stdout(&o).contains(&newest), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "'{}' matches one commit among the master's newest 10000 changes",
            &newest[..10]
        )),
        "{err}"
    );
}

fn held(master: &OldMaster) -> Duration {
    master.builders_held().expect("the builders list was read")
}

#[test]
fn v_and_stats_read_the_version_in_the_first_round_and_cache_it() {
    for flags in [&["-v", "3.x"][..], &["--stats", "-q"][..]] {
        let mut fake = small_history();
        fake.hold_lists = true;
        let master = serve_old_master(fake);
        let env = TestEnv::new();
        let mut args = vec!["--server", master.url.as_str()];
        args.extend_from_slice(flags);
        let o = env.run(&args, &[]);
        assert_eq!(code(&o), 0, "{flags:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("to {}(Buildbot 3.0.3)", master.url))
                || stderr(&o).contains(&format!("to {} (Buildbot 3.0.3)", master.url)),
            "{flags:?}: {}",
            stderr(&o)
        );
        assert!(
            held(&master) < Duration::from_millis(1500),
            "{flags:?}: the version was asked only after the lists (held {:?}): {:#?}",
            held(&master),
            master.paths()
        );
        // A day long, the cache answers it: no request, and the line still names it.
        let before = master.paths().len();
        let o = env.run(&args, &[]);
        assert_eq!(code(&o), 0, "{flags:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("(Buildbot 3.0.3)"), "{}", stderr(&o));
        let again: Vec<String> = master.paths()[before..]
            .iter()
            .filter(|p| !p.starts_with("/api/"))
            .cloned()
            .collect();
        assert!(again.is_empty(), "{flags:?}: {again:?}");
    }
}

#[test]
fn watch_until_complete_reads_the_version_in_its_first_round() {
    let mut fake = small_history();
    fake.hold_lists = true;
    let newest = revision_of(&fake, 700);
    let master = serve_old_master(fake);
    let env = TestEnv::new();
    let mut cmd = std::process::Command::new("timeout");
    cmd.args(["60", env!("CARGO_BIN_EXE_bbreport")]);
    env.apply(&mut cmd).args([
        "--server",
        master.url.as_str(),
        "watch",
        "--interval",
        "1",
        "--until-complete",
        &newest[..10],
    ]);
    let o = cmd.output().expect("run watch");
    assert!(matches!(code(&o), 0 | 10 | 11 | 12), "{}", stderr(&o));
    assert!(stdout(&o).contains(&newest[..10]), "{}", stdout(&o));
    assert!(
        held(&master) < Duration::from_millis(1500),
        "the version was asked only after the first round (held {:?}): {:#?}",
        held(&master),
        master.paths()
    );
}
