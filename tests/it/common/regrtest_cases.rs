//! The real regrtest cases of tests/fixtures/regrtest-cases/ (pasted from public CPython issues
//! and pull requests, 3.8 to 3.16; the README there says where each comes from) and how a report
//! is compared with what a core developer reads from each (`expected` in the case's JSON): by
//! the parser on the file (tests/it/regrtest_cases.rs) and by `bbreport build` on the harness
//! master's builds that print it (tests/it/live_regrtest_cases.rs).
//!
//! How a field is compared:
//! - `null` means the text cannot tell, so the report must claim nothing: no value, no test;
//! - lists of tests are compared as sets (regrtest prints them in several orders);
//! - `leaks` are compared as (test, kind, counts), exactly as regrtest printed them;
//! - `infrastructure` is free text: the report must name a cause when one is expected (and the
//!   words it uses are checked in the parser's own tests), and none when it is `null`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bbreport::model::regrtest::LogSummary;
use serde::Deserialize;

use super::LogSummaryJson;

#[derive(Debug, Deserialize)]
pub struct Case {
    pub expected: Expected,
}

#[derive(Debug, Deserialize)]
pub struct Expected {
    pub seed: Option<u64>,
    pub result: Option<String>,
    pub failed: Option<Vec<String>>,
    pub rerun: Option<Vec<String>>,
    pub rerun_passed: Option<Vec<String>>,
    pub env_changed: Option<Vec<String>>,
    pub timeouts: Option<Vec<String>>,
    pub crashed: Option<Vec<String>>,
    pub leaks: Option<Vec<ExpectedLeak>>,
    pub infrastructure: Option<String>,
    pub last_running: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ExpectedLeak {
    pub test: String,
    pub kind: String,
    pub counts: Vec<i64>,
}

/// The cases whose log holds regrtest's whole final summary (through `Tests result:`); every
/// other one is an excerpt or a cut log, whose lists a report must say it rebuilt.
pub const COMPLETE_SUMMARY: &[&str] = &["01-"];

/// Where we read a case differently from its `expected` value: (case, field, why). The field is
/// then not compared: the reason argues for what the parser reports. Empty: the parser agrees
/// with every expected value.
pub const DISAGREEMENTS: &[(&str, &str, &str)] = &[];

pub fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regrtest-cases")
}

/// Every real case, by name: a case added to or lost from the directory fails the tests, so
/// none is read silently or skipped silently.
pub const CASES: &[&str] = &[
    "01-envchanged-asyncio-pgo-lto-312",
    "02-gha-winx86-crash-timeout-rerun-norun-success",
    "04-win11-refleaks-deadlock-count-no-total",
    "06-raspbian-socket-worker-nonzero-timeout-threaddump",
    "08-gha-win-threading-rerun-crash-interleaved-kill",
    "11-nogil-refleaks-this-is-fine-and-fd-sum0",
    "12-refleaks-importlib-fd-leak-failed-again",
    "14-android-testbed-seed-nonascii-cwd-logcat",
    "15-fedora-313b1-pgo-freethreading-no-fail-counter",
    "16-local-313-asyncio-package-subtests-counter",
    "17-opensuse-obs-315b2-s390x-timestamp-prefix",
    "18-netbsd-timerfd-hang-subtests-nonascii-cwd",
    "20-rpi3b-screenlog-lines-cut-at-terminal-width",
    "22-gha-winx86-access-violation-named-exitcode",
    "23-s390x-debian-assertion-fatal-abort-verbose",
    "24-macos-local-refleak-warnings-glued-to-dots",
    "26-ios-testbed-simulator-detection-infra-no-tests",
    "27-310-asyncio-envchanged-dangling-mainthread",
];

/// The cases' names, checked against the directory.
pub fn case_names() -> Vec<String> {
    let mut on_disk: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/fixtures/regrtest-cases")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".log").map(str::to_string)
        })
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, CASES,
        "tests/fixtures/regrtest-cases and CASES differ"
    );
    CASES.iter().map(|c| c.to_string()).collect()
}

/// The case's log, as pasted.
pub fn case_log(name: &str) -> Vec<u8> {
    std::fs::read(cases_dir().join(format!("{name}.log"))).expect("case log")
}

/// The case's JSON.
pub fn load_case(name: &str) -> Case {
    let json =
        std::fs::read_to_string(cases_dir().join(format!("{name}.json"))).expect("case json");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Whether the case's log holds a complete final summary ([`COMPLETE_SUMMARY`]).
pub fn has_complete_summary(name: &str) -> bool {
    COMPLETE_SUMMARY.iter().any(|c| name.starts_with(c))
}

/// What a report says about a log, in the terms of `expected`: the parser's [`LogSummary`] and
/// `bbreport build`'s JSON (`test_log.summary`) both convert to it.
#[derive(Debug)]
pub struct Reported {
    pub seed: Option<u64>,
    pub result: Option<String>,
    pub rebuilt_from_events: bool,
    pub failed: Vec<String>,
    pub rerun: Vec<String>,
    pub passed_on_rerun: Vec<String>,
    pub env_changed: Vec<String>,
    pub timeouts: Vec<String>,
    pub crashed: Vec<String>,
    pub leaks: Vec<(String, String, Vec<i64>)>,
    pub infrastructure: Vec<String>,
    pub last_running: Option<String>,
}

impl From<&LogSummary> for Reported {
    fn from(s: &LogSummary) -> Reported {
        Reported {
            seed: s.seed,
            result: s.result.clone(),
            rebuilt_from_events: s.rebuilt_from_events,
            failed: s.failed.clone(),
            rerun: s.rerun.clone(),
            passed_on_rerun: s.passed_on_rerun.clone(),
            env_changed: s.env_changed.clone(),
            timeouts: s.timeouts.clone(),
            crashed: s.crashes.iter().map(|(t, _)| t.clone()).collect(),
            leaks: s
                .leaks
                .iter()
                .map(|l| (l.test.clone(), l.kind.clone(), l.counts.clone()))
                .collect(),
            infrastructure: s.infrastructure.clone(),
            last_running: s.last_running.clone(),
        }
    }
}

impl From<&LogSummaryJson> for Reported {
    fn from(s: &LogSummaryJson) -> Reported {
        Reported {
            seed: s.seed,
            result: s.result.clone(),
            rebuilt_from_events: s.rebuilt_from_events,
            failed: s.failed.clone(),
            rerun: s.rerun.clone(),
            passed_on_rerun: s.passed_on_rerun.clone(),
            env_changed: s.env_changed.clone(),
            timeouts: s.timeouts.clone(),
            crashed: s.crashes.iter().map(|c| c.test.clone()).collect(),
            leaks: s
                .leaks
                .iter()
                .map(|l| (l.test.clone(), l.kind.clone(), l.counts.clone()))
                .collect(),
            infrastructure: s.infrastructure.clone(),
            last_running: s.last_test.clone(),
        }
    }
}

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

/// `null` (cannot be known) and `[]` (none) both mean the report names no test.
fn list(v: &Option<Vec<String>>) -> BTreeSet<String> {
    v.as_deref().map(set).unwrap_or_default()
}

/// One field's expected and reported values, printed when they differ.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub expected: String,
    pub reported: String,
}

impl Field {
    pub fn right(&self) -> bool {
        self.expected == self.reported
    }
}

/// Every expected field of a case next to what the report says.
pub fn fields(e: &Expected, s: &Reported) -> Vec<Field> {
    let f = |name, expected: String, reported: String| Field {
        name,
        expected,
        reported,
    };
    // A list of tests: compared as sets.
    let tests = |name, expected: &Option<Vec<String>>, reported: &[String]| {
        f(
            name,
            format!("{:?}", list(expected)),
            format!("{:?}", set(reported)),
        )
    };
    let leaks: BTreeSet<&(String, String, Vec<i64>)> = s.leaks.iter().collect();
    let expected_leaks: BTreeSet<(String, String, Vec<i64>)> = e
        .leaks
        .iter()
        .flatten()
        .map(|l| (l.test.clone(), l.kind.clone(), l.counts.clone()))
        .collect();
    let cause = |known: bool| if known { "a cause" } else { "none" }.to_string();
    vec![
        f("seed", format!("{:?}", e.seed), format!("{:?}", s.seed)),
        f(
            "result",
            format!("{:?}", e.result),
            format!("{:?}", s.result),
        ),
        tests("failed", &e.failed, &s.failed),
        tests("rerun", &e.rerun, &s.rerun),
        tests("rerun_passed", &e.rerun_passed, &s.passed_on_rerun),
        tests("env_changed", &e.env_changed, &s.env_changed),
        tests("timeouts", &e.timeouts, &s.timeouts),
        tests("crashed", &e.crashed, &s.crashed),
        f("leaks", format!("{expected_leaks:?}"), format!("{leaks:?}")),
        f(
            "infrastructure",
            cause(e.infrastructure.is_some()),
            cause(!s.infrastructure.is_empty()),
        ),
        f(
            "last_running",
            format!("{:?}", e.last_running),
            format!("{:?}", s.last_running),
        ),
    ]
}

/// How one report of a case compares with its `expected` fields.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Fields right (or read differently, with a reason in [`DISAGREEMENTS`]).
    pub right: usize,
    pub total: usize,
    /// One line per wrong field: `CASE: FIELD: expected …, reported …`.
    pub wrong: Vec<String>,
}

/// Compare a report of case `name` with the case's expected fields, and check that it says
/// whether it rebuilt its lists from progress lines (every case but a complete summary).
pub fn judge(name: &str, e: &Expected, s: &Reported) -> Verdict {
    let mut v = Verdict::default();
    let complete = has_complete_summary(name);
    if s.rebuilt_from_events == complete {
        v.wrong.push(format!(
            "{name}: rebuilt_from_events is {}, but the log {} a complete final summary",
            s.rebuilt_from_events,
            if complete { "holds" } else { "lacks" }
        ));
    }
    for field in fields(e, s) {
        let disagreement = DISAGREEMENTS
            .iter()
            .find(|(c, f, _)| name.starts_with(c) && *f == field.name);
        v.total += 1;
        if field.right() || disagreement.is_some() {
            v.right += 1;
        } else {
            v.wrong.push(format!(
                "{name}: {}: expected {}, reported {}",
                field.name, field.expected, field.reported
            ));
        }
    }
    v
}
