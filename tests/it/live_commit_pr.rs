//! `bbreport commit` and `bbreport pr` against the real Buildbot master of the harness's
//! `push` fleet (scripts/test.sh starts it with `harness.py up … --fleet push`; its scenarios
//! are PUSH_SCENARIOS in tests/harness/harness.py): a push where all pass, a push that breaks
//! test_bbr_broken on two builders where a third already failed it, two commits batched into
//! one build, a later push still building, and a pull request with two heads whose newest fails
//! a test of its own and one the target branch fails too.

use std::path::Path;

use serde_json::Value;

use crate::common::*;

const FEDORA: &str = "AMD64 Fedora Stable 3.x";
const ALPINE: &str = "AMD64 Alpine Linux 3.x";
const RASPBIAN: &str = "ARM Raspbian 3.x";
const BROKEN: &str = "test_bbr_broken";
/// The harness's pull request (GIT_BRANCH["PR"] in harness.py).
const PR: &str = "140000";

/// The push master's manifest; without it these tests fail rather than pass vacuously.
fn manifest() -> Manifest {
    let path = std::env::var("BBREPORT_TEST_PUSH_MANIFEST").expect(
        "BBREPORT_TEST_PUSH_MANIFEST is not set: run scripts/test.sh, which starts the push master",
    );
    load_manifest(Path::new(&path))
}

fn revision(m: &Manifest, branch: &str, label: &str) -> String {
    m.commits
        .iter()
        .find(|c| c.branch == branch && c.label == label)
        .unwrap_or_else(|| panic!("no commit {label} on {branch}"))
        .revision
        .clone()
}

/// `bbreport --format json VERB ARGS…` on the push master: the report and the exit code.
fn json(m: &Manifest, args: &[&str]) -> (Value, i32) {
    let o = live(
        &[
            &["--server", m.server.as_str(), "--format", "json"][..],
            args,
        ]
        .concat(),
    );
    let report: Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("JSON report ({e}); stderr: {}", stderr(&o)));
    (report, code(&o))
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
        .map(|t| t["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_push_where_every_builder_passes_exits_0() {
    let m = manifest();
    let (r, code) = json(&m, &["commit", &revision(&m, "3.x", "1")]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["kind"], "commit");
    assert_eq!(r["outcome"], "no_new_failure");
    assert_eq!(r["branch"], "3.x");
    for name in [FEDORA, ALPINE, RASPBIAN] {
        assert_eq!(builder(&r, name)["state"], "passed", "{name}");
    }
    assert_eq!(r["builders"].as_array().expect("builders").len(), 3);
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_push_breaking_one_test_on_two_builders_is_new_there_and_pre_existing_where_it_failed_before() {
    let m = manifest();
    let full = revision(&m, "3.x", "3");
    // A 7-digit prefix names it.
    let (r, code) = json(&m, &["commit", &full[..7]]);
    assert_eq!(code, 13, "{r}");
    assert_eq!(r["revision"], full.as_str());
    assert_eq!(r["outcome"], "new_failures");
    for name in [FEDORA, ALPINE] {
        let b = builder(&r, name);
        assert_eq!(b["state"], "failed", "{name}");
        assert_eq!(b["novelty"], "new", "{name}");
        assert_eq!(names(&b["new_tests"]), [BROKEN], "{name}");
    }
    let rasp = builder(&r, RASPBIAN);
    assert_eq!(rasp["novelty"], "pre_existing");
    assert_eq!(names(&rasp["pre_existing_tests"]), [BROKEN]);
    assert_eq!(rasp["previous"], 2);
    // Suspects: Fedora was green at commit 2, Alpine (a compile error at 2) only at 1; the
    // intersection is commit 3 and 3a, batched into 3's build.
    let failures = r["new_failures"].as_array().expect("new_failures");
    assert_eq!(failures.len(), 1, "{r}");
    assert_eq!(failures[0]["test"], BROKEN);
    assert_eq!(failures[0]["builders"], serde_json::json!([ALPINE, FEDORA]));
    let suspects: Vec<&str> = failures[0]["suspects"]
        .as_array()
        .expect("suspects")
        .iter()
        .map(|s| s["revision"].as_str().expect("revision"))
        .collect();
    assert_eq!(suspects, [revision(&m, "3.x", "3a"), full.clone()]);
    assert_eq!(failures[0]["open_below"], false);

    // The text forms say the same.
    let o = live(&[
        "--server",
        m.server.as_str(),
        "commit",
        &revision(&m, "3.x", "3"),
    ]);
    let text = stdout(&o);
    assert!(
        text.contains("failed (new)") && text.contains("failed (pre-existing)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("New failure {BROKEN} on {ALPINE}, {FEDORA}")),
        "{text}"
    );
    let o = live(&[
        "--server",
        m.server.as_str(),
        "--format",
        "markdown",
        "commit",
        &full,
    ]);
    assert!(stdout(&o).contains("| Builder | State | Build | Failing tests |"));
    assert_eq!(crate::common::code(&o), 13);
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_commit_batched_into_a_newer_commits_build_is_built_by_that_build() {
    let m = manifest();
    let (r, code) = json(&m, &["commit", &revision(&m, "3.x", "3a")]);
    assert_eq!(code, 13, "{r}");
    let three = revision(&m, "3.x", "3");
    for name in [FEDORA, ALPINE, RASPBIAN] {
        let b = builder(&r, name);
        assert_eq!(b["built_with"], three.as_str(), "{name}");
        assert_eq!(b["number"], 3, "{name}");
    }
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_single_builder_breaking_has_the_one_commit_as_suspect() {
    let m = manifest();
    let two = revision(&m, "3.x", "2");
    let (r, code) = json(&m, &["commit", &two]);
    assert_eq!(code, 13, "{r}");
    assert_eq!(builder(&r, RASPBIAN)["novelty"], "new");
    // Alpine's compile error is new too, with no failing test.
    let alpine = builder(&r, ALPINE);
    assert_eq!(alpine["novelty"], "new");
    let reason = alpine["reason"].as_str().expect("reason");
    assert!(reason.starts_with("failed compile"), "{reason}");
    assert!(alpine["new_tests"].as_array().expect("list").is_empty());
    let f = &r["new_failures"][0];
    assert_eq!(f["builders"], serde_json::json!([RASPBIAN]));
    assert_eq!(f["suspects"][0]["revision"], two.as_str());
    assert_eq!(f["suspects"].as_array().expect("suspects").len(), 1);
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_later_push_still_building_is_pending_with_only_pre_existing_failures() {
    let m = manifest();
    let (r, code) = json(&m, &["commit", &revision(&m, "3.x", "4")]);
    assert_eq!(code, 14, "{r}");
    assert_eq!(r["outcome"], "pending");
    assert_eq!(builder(&r, ALPINE)["state"], "building");
    for name in [FEDORA, RASPBIAN] {
        assert_eq!(builder(&r, name)["novelty"], "pre_existing", "{name}");
    }
    assert!(r["new_failures"].as_array().expect("list").is_empty());
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn a_pull_request_has_its_own_failure_apart_from_the_target_branchs() {
    let m = manifest();
    let (r, code) = json(&m, &["pr", PR]);
    assert_eq!(code, 13, "{r}");
    assert_eq!(r["kind"], "pr");
    assert_eq!(r["git_branch"], format!("refs/pull/{PR}/merge"));
    assert_eq!(r["head"]["revision"], revision(&m, "PR", "2").as_str());
    assert_eq!(r["older_heads"], 1);
    assert_eq!(r["target_branch"], "3.x");
    // The harness posts the PR's changes with `basename` (as Buildbot's GitHub hook does).
    assert_eq!(r["target_from"], "base_branch");
    let fedora = builder(&r, "AMD64 Fedora Stable PR");
    assert_eq!(fedora["novelty"], "new");
    assert_eq!(names(&fedora["own_tests"]), ["test_bbr_regress"]);
    assert_eq!(names(&fedora["pre_existing_tests"]), [BROKEN]);
    assert_eq!(fedora["target"]["name"], FEDORA);
    assert_eq!(fedora["number"], 2);
    let rasp = builder(&r, "ARM Raspbian PR");
    assert_eq!(rasp["novelty"], "pre_existing");
    assert!(rasp["own_tests"].as_array().expect("list").is_empty());
    assert_eq!(builder(&r, "AMD64 Alpine Linux PR")["state"], "building");
    assert!(r["older_head_only"].as_array().expect("list").is_empty());
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn an_unknown_pull_request_and_a_short_revision_are_usage_errors() {
    let m = manifest();
    let o = live(&["--server", m.server.as_str(), "pr", "999999"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("no change on refs/pull/999999/merge"));
    let o = live(&["--server", m.server.as_str(), "commit", "abc12"]);
    assert_eq!(code(&o), 2);
}

/// (requests) from the `--stats` line.
fn requests(o: &std::process::Output) -> u64 {
    let err = stderr(o);
    let line = err
        .lines()
        .find(|l| l.contains(" requests"))
        .unwrap_or_else(|| panic!("no --stats line in: {err}"));
    line.split_whitespace()
        .nth(1)
        .expect("count")
        .parse()
        .expect("a number")
}

#[test]
#[ignore = "needs the push master (scripts/test.sh)"]
fn commit_and_pr_cost_a_handful_of_requests_plus_failing_logs() {
    let m = manifest();
    let server = m.server.as_str();
    // A passing commit: no log read, so nothing per builder.
    let pass = live(&[
        "--server",
        server,
        "--no-cache",
        "--stats",
        "commit",
        &revision(&m, "3.x", "1"),
    ]);
    assert!(requests(&pass) <= 10, "{}", stderr(&pass));
    let fail = live(&[
        "--server",
        server,
        "--no-cache",
        "--stats",
        "commit",
        &revision(&m, "3.x", "3"),
    ]);
    // 3 failing builds and 2 failed builds before them: about 3 requests per log.
    assert!(requests(&fail) <= 8 + 5 * 4, "{}", stderr(&fail));
    let pr = live(&["--server", server, "--no-cache", "--stats", "pr", PR]);
    assert!(requests(&pr) <= 8 + 4 * 4, "{}", stderr(&pr));
}
