//! Failures in the middle of long test logs with no final summary (a build killed by Buildbot's
//! no-output timeout): the default reading finds them from regrtest's progress counters without
//! reading the whole log, and says what it read (issue 14). Served by the fake master; the real
//! master's counterpart is in `live_regrtest_cases.rs`.

use serde_json::Value;

use crate::common::fake_master::{Build, Builder, serve_master};
use crate::common::*;

const BUILDER: &str = "AMD64 Long 3.x";

/// A `-j2` run of `tests` tests killed before its summary: every test prints `noise` lines of
/// output after its progress line; the tests at `failing` fail with a traceback.
fn killed_log(tests: u32, noise: usize, failing: &[u32]) -> String {
    let mut out = String::from(
        "== CPython 3.15.0a0 (heads/main:0123456789a, Nov 30 2026) [GCC 14.2.0]\n\
         == Linux-6.12.0-x86_64-with-glibc2.40 little-endian\n\
         Using random seed: 1234567\n\
         0:00:00 load avg: 1.00 Run 480 tests in parallel using 2 worker processes (timeout: 20 min, worker timeout: 25 min)\n",
    );
    let mut fails = 0;
    for i in 1..=tests {
        let name = format!("test_mod{i:04}");
        if failing.contains(&i) {
            fails += 1;
            out += &format!(
                "0:{:02}:{:02} load avg: 1.00 [{i:3}/480/{fails}] {name} failed (1 failure)\n\
                 ======================================================================\n\
                 FAIL: test_x ({name}.Tests.test_x)\n\
                 Traceback (most recent call last):\n\
                 AssertionError: 1 != 2\n",
                i / 60,
                i % 60
            );
        } else {
            let counter = if fails > 0 {
                format!("[{i:3}/480/{fails}]")
            } else {
                format!("[{i:3}/480]")
            };
            out += &format!(
                "0:{:02}:{:02} load avg: 1.00 {counter} {name} passed\n",
                i / 60,
                i % 60
            );
        }
        for k in 0..noise {
            out += &format!("{name}: output line {k} of a chatty test\n");
        }
    }
    out += "0:59:00 load avg: 1.00 running (1): test_hangs (30 min)\n\
            \ncommand timed out: 1200 seconds without output running [b'make', b'buildbottest'], attempting to kill\n\
            process killed by signal 9\n\
            program finished with exit code -1\n";
    out
}

fn build_json(log: String) -> (Value, String) {
    let url = serve_master(vec![Builder::new(1, BUILDER)], vec![Build::fail(1, 1, log)]);
    let o = bbreport(&["--server", &url, "--format", "json", "build", BUILDER, "1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    let text = bbreport(&["--server", &url, "--format", "plain", "build", BUILDER, "1"]);
    (v, stdout(&text))
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|t| t.as_str().expect("name"))
        .collect()
}

#[test]
fn failures_in_the_middle_of_a_killed_10_mb_log_are_found_by_the_counters() {
    // 470 tests, 200 lines of output each: about 94,000 lines, 4.6 MB; failures far apart.
    let log = killed_log(470, 200, &[101, 102, 333]);
    let lines = log.lines().count();
    let (v, text) = build_json(log);
    let t = &v["test_log"];
    assert_eq!(t["num_lines"], lines);
    let s = &t["summary"];
    assert_eq!(s["rebuilt_from_events"], true);
    assert_eq!(
        names(&s["failed"]),
        ["test_mod0101", "test_mod0102", "test_mod0333"]
    );
    assert_eq!(s["last_test"], "test_hangs");
    let search = &t["search"];
    assert_eq!(search["counted"], 3, "{search}");
    assert_eq!(search["unlocated"], 0, "{search}");
    assert_eq!(search["budget_spent"], false);
    let requests = search["requests"].as_u64().expect("requests");
    let bytes = search["bytes"].as_u64().expect("bytes");
    assert!(requests <= 32, "{search}");
    assert!(
        bytes < 1_000_000,
        "read {bytes} bytes of the middle: {search}"
    );
    let read: u64 = t["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| w["limit"].as_u64().expect("limit"))
        .sum();
    assert!(read < lines as u64 / 5, "read {read} of {lines} lines");
    assert!(
        text.contains("the progress counters count 3 failed or env-changed tests, all found"),
        "{text}"
    );
}

#[test]
fn a_short_log_without_summary_is_read_whole() {
    // About 3,000 lines: the failure sits between the head and tail windows.
    let log = killed_log(300, 9, &[150]);
    let lines = log.lines().count() as u64;
    assert!(lines > 2_000 && lines < 5_000, "{lines}");
    let (v, text) = build_json(log);
    let t = &v["test_log"];
    assert_eq!(names(&t["summary"]["failed"]), ["test_mod0150"]);
    assert_eq!(t["search"], Value::Null);
    let read: u64 = t["windows"]
        .as_array()
        .expect("windows")
        .iter()
        .map(|w| w["limit"].as_u64().expect("limit"))
        .sum();
    assert_eq!(read, lines);
    assert!(text.contains(&format!("{lines} lines, read all")), "{text}");
}

#[test]
fn a_search_past_its_budget_says_how_many_failures_it_could_not_find() {
    // A failure every 8 tests over 94,000 lines: more stretches than 32 requests can narrow.
    let failing: Vec<u32> = (1..59).map(|k| k * 8).collect();
    let (v, text) = build_json(killed_log(470, 200, &failing));
    let search = &v["test_log"]["search"];
    assert_eq!(search["counted"], 58, "{search}");
    let unlocated = search["unlocated"].as_u64().expect("unlocated");
    assert!(unlocated > 0, "{search}");
    assert_eq!(search["budget_spent"], true);
    let failed = v["test_log"]["summary"]["failed"]
        .as_array()
        .expect("failed")
        .len() as u64;
    assert_eq!(failed + unlocated, 58, "{search}");
    assert!(
        text.contains(&format!(
            "{unlocated} of them in lines not read, the search's budget spent"
        )),
        "{text}"
    );
}

/// `-q --tests` in plain text names every failing test in full, however long the line: Buildbot's
/// state string may be cut, a test name never is.
#[test]
fn quiet_summary_with_tests_never_cuts_a_test_name() {
    let failing: Vec<u32> = (1..=6).map(|k| k * 10).collect();
    let url = serve_master(
        vec![Builder::new(1, BUILDER)],
        vec![Build::fail(1, 1, killed_log(80, 0, &failing))],
    );
    let o = bbreport(&[
        "--server", &url, "--format", "plain", "--tests", "-q", "3.x",
    ]);
    let out = stdout(&o);
    for k in &failing {
        assert!(out.contains(&format!("test_mod{k:04}")), "{out}");
    }
    assert!(!out.contains('…'), "{out}");
}
