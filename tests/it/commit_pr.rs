//! `bbreport commit REV` and `bbreport pr N` end to end on the fake master
//! (`common::fake_master`, real regrtest logs): new failures apart from pre-existing ones, the
//! suspects intersected over builders, a commit built inside a newer commit's build, a commit not
//! built yet or building, a PR's older heads collapsed and its failures compared with the target
//! branch, and each exit code (0, 13, 14, 6).

use serde_json::Value;

use crate::common::fake_master::{Build, Builder, Change, History, Steps, log, serve_history};
use crate::common::*;

/// Commits c1..c6 pushed to main, in order.
fn main_commits() -> Vec<Change> {
    (1..=6).map(|id| Change::new(id, "main")).collect()
}

fn rev(id: u64) -> String {
    Change::new(id, "main").revision
}

/// `bbreport --server URL --format json ARGS…`: the report, the exit code and stderr.
fn json(url: &str, args: &[&str]) -> (Value, i32, String) {
    let o = bbreport(&[&["--server", url, "--format", "json"][..], args].concat());
    let report: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("JSON report ({e}); stderr: {}", stderr(&o)));
    (report, code(&o), stderr(&o))
}

fn builder<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["builders"]
        .as_array()
        .expect("builders")
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {r}"))
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|t| t["name"].as_str().expect("a name").to_string())
        .collect()
}

/// The fleet of one pushed commit, c4, in every state a builder can be in with it:
/// - `New`: passed c2, fails test_bbr_broken on c4 (new; window c3..c4);
/// - `Old`: failed test_bbr_broken on c2 already (pre-existing);
/// - `Other`: passed c1, failed test_bbr_crash on c3, fails test_bbr_broken on c4: failed
///   before, but with another test, so new (window c4 alone: c3's build ran the test);
/// - `Batched`: passed c3, then passed c5, whose build contained c4;
/// - `Idle`: passed c3, nothing since (not built yet);
/// - `Running`: passed c3, its build of c4 still runs its test step.
fn push_fleet() -> String {
    let builders = ["New", "Old", "Other", "Batched", "Idle", "Running"]
        .iter()
        .zip(1..)
        .map(|(n, id)| Builder::new(id, &format!("AMD64 {n} 3.x")))
        .collect();
    let fail = || log("fail.txt");
    let builds = vec![
        Build::pass(1, 1),
        Build::fail(1, 2, fail()),
        Build::fail(2, 1, fail()),
        Build::fail(2, 2, fail()),
        Build::pass(3, 1),
        Build::fail(3, 2, log("crash.txt")),
        Build::fail(3, 3, fail()),
        Build::pass(4, 1),
        Build::pass(4, 2),
        Build::pass(5, 1),
        Build::pass(6, 1),
        // Started 47 minutes before the tests' clock: not overdue.
        Build::running(6, 27, 2),
    ];
    let mut h = History {
        changes: main_commits(),
        ..History::default()
    };
    for (builder, number, commit) in [
        (1, 1, 2),
        (1, 2, 4),
        (2, 1, 2),
        (2, 2, 4),
        (3, 1, 1),
        (3, 2, 3),
        (3, 3, 4),
        (4, 1, 3),
        (4, 2, 5),
        (5, 1, 3),
        (6, 1, 3),
        (6, 27, 4),
    ] {
        h.built(builder, number, &rev(commit));
    }
    serve_history(builders, builds, h)
}

#[test]
fn a_pushed_commit_new_failures_apart_from_pre_existing_ones() {
    let url = push_fleet();
    let (r, code, err) = json(&url, &["commit", &rev(4)[..10]]);
    assert_eq!(code, 13, "new failures: {err}");
    assert_eq!(r["outcome"], "new_failures");
    assert_eq!(r["revision"], rev(4));
    assert_eq!(r["git_branch"], "main");
    assert_eq!(r["branch"], "3.x");

    let new = builder(&r, "AMD64 New 3.x");
    assert_eq!(
        (&new["state"], &new["novelty"]),
        (&"failed".into(), &"new".into())
    );
    assert_eq!(names(&new["new_tests"]), ["test_bbr_broken"]);
    assert_eq!(new["number"], 2);

    let old = builder(&r, "AMD64 Old 3.x");
    assert_eq!(old["novelty"], "pre_existing");
    assert_eq!(names(&old["pre_existing_tests"]), ["test_bbr_broken"]);
    assert!(old["new_tests"].as_array().expect("a list").is_empty());
    assert_eq!(old["previous"], 1);

    // Failed before, with another test: this failure is new all the same.
    let other = builder(&r, "AMD64 Other 3.x");
    assert_eq!(other["novelty"], "new", "{other}");
    assert_eq!(names(&other["new_tests"]), ["test_bbr_broken"]);
    assert_eq!(other["previous"], 2);
}

#[test]
fn suspects_are_intersected_over_the_builders_where_the_test_newly_fails() {
    let url = push_fleet();
    let (r, _, _) = json(&url, &["commit", &rev(4)]);
    let failures = r["new_failures"].as_array().expect("new_failures");
    assert_eq!(failures.len(), 1, "{failures:?}");
    let f = &failures[0];
    assert_eq!(f["test"], "test_bbr_broken");
    // Old's failure is pre-existing: it does not narrow the window.
    assert_eq!(
        f["builders"],
        serde_json::json!(["AMD64 New 3.x", "AMD64 Other 3.x"])
    );
    // New alone says c3 or c4 (it passed c2); Other ran the test on c3 (failing another one):
    // c4 alone.
    let suspects: Vec<&str> = f["suspects"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["revision"].as_str().expect("a string"))
        .collect();
    assert_eq!(suspects, [rev(4).as_str()]);
    assert_eq!(f["open_below"], false);
    assert_eq!(f["disjoint"], false);
}

#[test]
fn a_commit_built_inside_a_newer_commits_build_not_built_yet_and_building() {
    let url = push_fleet();
    let (r, _, _) = json(&url, &["commit", &rev(4)]);
    let batched = builder(&r, "AMD64 Batched 3.x");
    assert_eq!(batched["state"], "passed");
    assert_eq!(batched["built_with"], rev(5));
    assert_eq!(batched["number"], 2);

    let idle = builder(&r, "AMD64 Idle 3.x");
    assert_eq!(idle["state"], "not_built");
    assert_eq!(idle["number"], Value::Null);

    let running = builder(&r, "AMD64 Running 3.x");
    assert_eq!(running["state"], "building");
    assert_eq!(running["number"], 27);
    assert_eq!(running["reason"], "test", "the step it runs");

    // In text: the batched build is named, and the running one's step.
    let o = bbreport(&["--server", &url, "commit", &rev(4)]);
    let text = stdout(&o);
    let line = |name: &str| {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_string()
    };
    assert!(line("Batched").contains(&format!("tested in the build of {}", &rev(5)[..10])));
    assert!(line("Idle").contains("not built yet"), "{text}");
    assert!(line("Running").contains("building  #27; test"), "{text}");
}

/// One builder per scenario below, its commit c2 (built by its build #2 when built).
fn one_builder(second: Option<Build>) -> String {
    let mut builds = vec![Build::fail(1, 1, log("fail.txt"))];
    let mut h = History {
        changes: main_commits(),
        ..History::default()
    };
    h.built(1, 1, &rev(1));
    if let Some(b) = second {
        h.built(1, b.number, &rev(2));
        builds.push(b);
    }
    serve_history(vec![Builder::new(1, "AMD64 Solo 3.x")], builds, h)
}

#[test]
fn exit_codes_say_no_new_failure_pending_and_data_missing() {
    // 0: its only failure was there before.
    let url = one_builder(Some(Build::fail(1, 2, log("fail.txt"))));
    let (r, code, _) = json(&url, &["commit", &rev(2)]);
    assert_eq!((code, &r["outcome"]), (0, &"no_new_failure".into()));

    // 0: passed.
    let url = one_builder(Some(Build::pass(1, 2)));
    assert_eq!(json(&url, &["commit", &rev(2)]).1, 0);

    // 14: still building, or not built at all.
    let url = one_builder(Some(Build::running(1, 27, 2)));
    let (r, code, _) = json(&url, &["commit", &rev(2)]);
    assert_eq!((code, &r["outcome"]), (14, &"pending".into()));
    let url = one_builder(None);
    assert_eq!(json(&url, &["commit", &rev(2)]).1, 14);

    // 6: the failing build's test log cannot be read; the builder is named, never exit 0.
    let unreadable = Build {
        builderid: 1,
        number: 2,
        results: 2,
        state_string: "failed test (failure)".into(),
        steps: Steps::TestLogUnreadable(2, 5_000),
        running_on: None,
    };
    let url = one_builder(Some(unreadable));
    let (r, code, _) = json(&url, &["commit", &rev(2)]);
    assert_eq!((code, &r["outcome"]), (6, &"incomplete".into()));
    let solo = builder(&r, "AMD64 Solo 3.x");
    assert_eq!(solo["state"], "unread");
    assert!(solo["error"].is_string(), "{solo}");
    let o = bbreport(&["--server", &url, "commit", &rev(2)]);
    assert_eq!(code_of(&o), 6);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("AMD64 Solo 3.x"))
        .unwrap_or("");
    assert!(line.contains("unread"), "{text}");
}

fn code_of(o: &std::process::Output) -> i32 {
    code(o)
}

/// A PR builder (tagged as CPython tags them) and the same platform's builders on 3.x and 3.14.
fn pr_builder(id: u32, name: &str) -> Builder {
    let mut b = Builder::new(id, name);
    b.tags = vec!["PullRequest".into(), "stable".into(), "tier-1".into()];
    b
}

fn on_314(id: u32, name: &str) -> Builder {
    let mut b = Builder::new(id, name);
    b.tags = vec!["3.14".into(), "stable".into(), "tier-1".into()];
    b
}

const PR_REF: &str = "refs/pull/7/merge";

/// Pull request 7 with two heads (changes 10 and 11): Fedora PR passed the first and fails the
/// second with test_bbr_broken, which Fedora 3.x fails too (3.14 passes it); Alpine PR fails
/// test_bbr_crash on the second, which Alpine 3.x passes; Raspbian PR built the first head only.
/// `basename`: the target branch the newest head's change records, if any.
fn pr_fleet(basename: Option<&str>) -> String {
    let builders = vec![
        pr_builder(1, "AMD64 Fedora PR"),
        pr_builder(2, "AMD64 Alpine PR"),
        pr_builder(3, "ARM Raspbian PR"),
        Builder::new(4, "AMD64 Fedora 3.x"),
        Builder::new(5, "AMD64 Alpine 3.x"),
        on_314(6, "AMD64 Fedora 3.14"),
        on_314(7, "AMD64 Alpine 3.14"),
    ];
    let builds = vec![
        Build::pass(1, 1),
        Build::fail(1, 2, log("fail.txt")),
        Build::fail(2, 1, log("crash.txt")),
        Build::pass(3, 1),
        Build::fail(4, 1, log("fail.txt")),
        Build::pass(5, 1),
        Build::pass(6, 1),
        Build::pass(7, 1),
    ];
    let (head1, mut head2) = (Change::new(10, PR_REF), Change::new(11, PR_REF));
    if let Some(b) = basename {
        head2.properties = vec![("basename".into(), b.into())];
    }
    let mut h = History {
        changes: vec![head1.clone(), head2.clone()],
        ..History::default()
    };
    h.built(1, 1, &head1.revision);
    h.built(3, 1, &head1.revision);
    h.built(1, 2, &head2.revision);
    h.built(2, 1, &head2.revision);
    serve_history(builders, builds, h)
}

#[test]
fn a_pr_newest_head_its_own_failures_apart_from_the_target_branchs() {
    let url = pr_fleet(None);
    let (r, code, err) = json(&url, &["pr", "7"]);
    assert_eq!(code, 13, "the PR's own failure: {err}");
    assert_eq!(r["git_branch"], PR_REF);
    assert_eq!(r["head"]["revision"], Change::new(11, PR_REF).revision);
    // The first head is collapsed: counted, and the builder that built only it named.
    assert_eq!(r["older_heads"], 1);
    assert_eq!(r["older_head_only"], serde_json::json!(["ARM Raspbian PR"]));
    assert_eq!(r["builders"].as_array().expect("a list").len(), 2);
    assert_eq!(r["target_branch"], "3.x");

    // Fedora 3.x fails test_bbr_broken too: not the PR's.
    let fedora = builder(&r, "AMD64 Fedora PR");
    assert_eq!(fedora["novelty"], "pre_existing", "{fedora}");
    assert_eq!(names(&fedora["pre_existing_tests"]), ["test_bbr_broken"]);
    assert_eq!(fedora["target"]["name"], "AMD64 Fedora 3.x");
    assert_eq!(fedora["target"]["failed"], true);

    let alpine = builder(&r, "AMD64 Alpine PR");
    assert_eq!(alpine["novelty"], "new");
    assert_eq!(names(&alpine["own_tests"]), ["test_bbr_crash"]);
    assert_eq!(alpine["target"]["name"], "AMD64 Alpine 3.x");
}

/// A build with Buildbot's result `results` (5 RETRY, 6 CANCELLED, 3 SKIPPED) and this state.
fn ended(builderid: u32, number: u32, results: i64, state: &str) -> Build {
    Build {
        builderid,
        number,
        results,
        state_string: state.into(),
        steps: Steps::Test(0, log("pass.txt")),
        running_on: None,
    }
}

/// Builder 1 with these builds, each of commit cN and of build request R (`None`: its own).
fn solo(builds: Vec<(Build, u64, Option<u64>)>) -> String {
    let mut h = History {
        changes: main_commits(),
        ..History::default()
    };
    let mut all = Vec::new();
    for (b, commit, request) in builds {
        h.built(b.builderid, b.number, &rev(commit));
        if let Some(r) = request {
            h.requests.push(((b.builderid, b.number), r));
        }
        all.push(b);
    }
    serve_history(vec![Builder::new(1, "AMD64 Solo 3.x")], all, h)
}

fn retry(number: u32) -> Build {
    ended(1, number, 5, "retry lost connection test (retry)")
}

#[test]
fn a_retried_build_is_judged_by_its_re_run() {
    // c4 was pushed with c5: the builder's first build of c5 lost its worker (RETRY) and the
    // master re-ran the same build request as #3, which failed test_bbr_broken.
    let url = solo(vec![
        (Build::pass(1, 1), 3, None),
        (retry(2), 5, Some(900)),
        (Build::fail(1, 3, log("fail.txt")), 5, Some(900)),
    ]);
    let (r, code, err) = json(&url, &["commit", &rev(4)]);
    let b = builder(&r, "AMD64 Solo 3.x");
    assert_eq!(
        (&b["state"], &b["number"]),
        (&"failed".into(), &3.into()),
        "{err}"
    );
    assert_eq!(b["built_with"], rev(5));
    assert_eq!(names(&b["new_tests"]), ["test_bbr_broken"]);
    assert_eq!(code, 13);

    // Its own build retried, the re-run passing: passed.
    let url = solo(vec![
        (Build::pass(1, 1), 3, None),
        (retry(2), 4, Some(900)),
        (Build::pass(1, 3), 4, Some(900)),
    ]);
    let (r, code, _) = json(&url, &["commit", &rev(4)]);
    assert_eq!(builder(&r, "AMD64 Solo 3.x")["number"], 3);
    assert_eq!(code, 0);

    // Retried, the re-run not started yet: the request is queued again.
    let url = solo(vec![(Build::pass(1, 1), 3, None), (retry(2), 4, Some(900))]);
    let (r, code, _) = json(&url, &["commit", &rev(4)]);
    assert_eq!(builder(&r, "AMD64 Solo 3.x")["state"], "not_built");
    assert_eq!(code, 14);
}

#[test]
fn a_cancelled_build_is_shown_cancelled_and_counts_as_not_built() {
    let cancelled = || ended(1, 2, 6, "cancelled test (cancelled)");
    let url = solo(vec![(Build::pass(1, 1), 3, None), (cancelled(), 4, None)]);
    let (r, code, _) = json(&url, &["commit", &rev(4)]);
    let b = builder(&r, "AMD64 Solo 3.x");
    assert_eq!(
        (&b["state"], &b["number"]),
        (&"cancelled".into(), &2.into())
    );
    assert_eq!((code, &r["outcome"]), (14, &"pending".into()));
    // Its own symbol, as in the grids: `x` in plain text, ⊗ in markdown.
    let o = bbreport(&["--server", &url, "commit", &rev(4)]);
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.contains("AMD64 Solo 3.x  x cancelled  #2")),
        "{text}"
    );
    let o = bbreport(&["--server", &url, "--format", "markdown", "commit", &rev(4)]);
    assert!(
        stdout(&o).contains("| AMD64 Solo 3.x | ⊗ cancelled (cancelled test (cancelled)) |"),
        "{}",
        stdout(&o)
    );

    // A build of it that finished before a cancelled rebuild is the one to judge.
    let url = solo(vec![(Build::pass(1, 1), 4, None), (cancelled(), 4, None)]);
    let (r, code, _) = json(&url, &["commit", &rev(4)]);
    let b = builder(&r, "AMD64 Solo 3.x");
    assert_eq!((&b["state"], &b["number"]), (&"passed".into(), &1.into()));
    assert_eq!(code, 0);

    // Skipped: its own word and symbol, counted as not built.
    let url = solo(vec![
        (Build::pass(1, 1), 3, None),
        (ended(1, 2, 3, "skipped"), 4, None),
    ]);
    let (r, code, _) = json(&url, &["commit", &rev(4)]);
    assert_eq!(builder(&r, "AMD64 Solo 3.x")["state"], "skipped");
    assert_eq!(code, 14);
}

/// `watch`, `commit --watch` and `pr --watch` poll through one loop (src/fetch/poll.rs): its
/// pause, Ctrl-C and outage handling are written once, so the verbs cannot drift apart.
#[test]
fn polling_has_one_home() {
    let src = repo().join("src");
    let mut found = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("utf-8 source");
                if text.contains("signal::ctrl_c") || text.contains("trying again every") {
                    found.push(path.strip_prefix(&src).expect("under src").to_path_buf());
                }
            }
        }
    }
    assert_eq!(found, [std::path::PathBuf::from("fetch/poll.rs")]);
}

#[test]
fn commit_watch_waits_for_a_commit_the_master_does_not_know_yet() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // c4 reaches the master only at the third look-up of its revision; its build has passed.
    let lookups = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&lookups);
    let mut known = main_commits();
    let late = known.remove(3);
    let mut h = History {
        changes: known,
        ..History::default()
    };
    h.built(1, 1, &rev(3));
    h.built(1, 2, &rev(4));
    h.arrivals = Some(Arc::new(move |path: &str| {
        let lookup = path.contains("changes?revision");
        (lookup && seen.fetch_add(1, Ordering::SeqCst) >= 2).then(|| late.clone())
    }));
    let url = serve_history(
        vec![Builder::new(1, "AMD64 Solo 3.x")],
        vec![Build::pass(1, 1), Build::pass(1, 2)],
        h,
    );
    let short = &rev(4)[..12];
    let o = bbreport(&[
        "--server",
        &url,
        "commit",
        short,
        "--watch",
        "--interval",
        "1",
    ]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    assert!(lookups.load(Ordering::SeqCst) >= 3);
    let waiting: Vec<&str> = err.lines().filter(|l| l.contains("yet; waiting")).collect();
    assert_eq!(waiting.len(), 1, "said once: {err}");
    assert!(waiting[0].contains(short), "{err}");
    assert!(
        stdout(&o).contains("AMD64 Solo 3.x  passed  #2"),
        "{}",
        stdout(&o)
    );

    // Without --watch, an unknown commit is a usage error (exit 2), as before.
    let o = bbreport(&["--server", &url, "commit", "0123456789ab"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("no commit matching '0123456789ab'"));
}

#[test]
fn a_pr_is_compared_with_the_base_branch_its_change_records() {
    // The head's change says the PR targets 3.14 (Buildbot's GitHub hook: `basename`), where
    // Fedora passes test_bbr_broken: the PR's own failure there.
    let url = pr_fleet(Some("3.14"));
    let (r, code, _) = json(&url, &["pr", "7"]);
    assert_eq!(r["target_branch"], "3.14");
    assert_eq!(r["target_from"], "base_branch");
    let fedora = builder(&r, "AMD64 Fedora PR");
    assert_eq!(fedora["target"]["name"], "AMD64 Fedora 3.14");
    assert_eq!(fedora["novelty"], "new");
    assert_eq!(code, 13);
    let o = bbreport(&["--server", &url, "pr", "7"]);
    assert!(
        stdout(&o).contains("Compared with 3.14 (the PR's base branch, as its change records it)"),
        "{}",
        stdout(&o)
    );

    // `main` is 3.x's git branch.
    let url = pr_fleet(Some("main"));
    let (r, _, _) = json(&url, &["pr", "7"]);
    assert_eq!(
        (&r["target_branch"], &r["target_from"]),
        (&"3.x".into(), &"base_branch".into())
    );

    // No base branch recorded: the newest branch, said so; --target wins over the record.
    let url = pr_fleet(None);
    let (r, _, _) = json(&url, &["pr", "7"]);
    assert_eq!(r["target_from"], "newest_branch");
    let o = bbreport(&["--server", &url, "pr", "7"]);
    assert!(
        stdout(&o)
            .contains("Compared with 3.x (the newest branch: the master records no base branch)")
    );
    let url = pr_fleet(Some("3.14"));
    let (r, _, _) = json(&url, &["pr", "7", "--target", "3.x"]);
    assert_eq!(
        (&r["target_branch"], &r["target_from"]),
        (&"3.x".into(), &"asked".into())
    );
}

/// README's table of states names every `state` the reports give (those these tests reach
/// on the fake master), with the exit code it leads to.
#[test]
fn readme_documents_every_state_and_exit_code() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let start = readme
        .find("What each builder's state means")
        .expect("the commit/pr states table");
    let readme = &readme[start..];
    for (state, code) in [
        ("`not_built`", "14"),
        ("`building`", "14"),
        ("`passed`", "0"),
        ("`failed` + `new`", "13"),
        ("`failed` + `pre_existing`", "0"),
        ("`cancelled`", "14"),
        ("`skipped`", "14"),
        ("`unread`", "6"),
    ] {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {state} |")))
            .unwrap_or_else(|| panic!("README has no row for {state}"));
        assert!(row.ends_with(&format!("| {code} |")), "{row}");
    }
}
