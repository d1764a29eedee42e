//! Every real regrtest log in tests/fixtures/regrtest-cases/ (pasted from public CPython issues
//! and pull requests, 3.8 to 3.16; the README there says where each comes from) goes through the
//! parser, and every field a core developer reads from it (`expected` in the case's JSON) is
//! compared with what the parser reports.
//!
//! How a field is compared:
//! - `null` means the text cannot tell, so the parser must claim nothing: no value, no test;
//! - lists of tests are compared as sets (regrtest prints them in several orders);
//! - `leaks` are compared as (test, kind, counts), exactly as regrtest printed them;
//! - `infrastructure` is free text: the parser must name a cause when one is expected (and the
//!   words it uses are checked in the parser's own tests), and none when it is `null`.
//!
//! The reading and the comparison are shared with `log_file.rs`, which runs `bbreport log` on
//! the same files and compares its JSON the same way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bbreport::model::regrtest::{LogSummary, parse};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(crate) struct Case {
    expected: Expected,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Expected {
    seed: Option<u64>,
    result: Option<String>,
    failed: Option<Vec<String>>,
    rerun: Option<Vec<String>>,
    rerun_passed: Option<Vec<String>>,
    env_changed: Option<Vec<String>>,
    timeouts: Option<Vec<String>>,
    crashed: Option<Vec<String>>,
    leaks: Option<Vec<ExpectedLeak>>,
    infrastructure: Option<String>,
    last_running: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ExpectedLeak {
    test: String,
    kind: String,
    counts: Vec<i64>,
}

/// The cases whose log holds regrtest's whole final summary (through `Tests result:`); every
/// other one is an excerpt or a cut log, whose lists the parser must say it rebuilt.
const COMPLETE_SUMMARY: &[&str] = &["01-"];

/// Where we read a case differently from its `expected` value: (case, field, why). The field is
/// then compared with what the parser reports, which the reason argues for. Empty: the parser
/// agrees with every expected value.
const DISAGREEMENTS: &[(&str, &str, &str)] = &[];

pub(crate) fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regrtest-cases")
}

/// Every real case, by name: a case added to or lost from the directory fails the test below,
/// so none is read silently or skipped silently.
const CASES: &[&str] = &[
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

pub(crate) fn case_names() -> Vec<String> {
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

/// A case's expected fields, from its JSON beside the log.
pub(crate) fn read_case(name: &str) -> Case {
    let json =
        std::fs::read_to_string(cases_dir().join(format!("{name}.json"))).expect("case json");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What a reader of the log reports, in the terms the cases' `expected` uses: from the
/// parser's `LogSummary` here, from `bbreport log`'s JSON in `log_file.rs`.
#[derive(Debug, Default)]
pub(crate) struct Reported {
    pub seed: Option<u64>,
    pub result: Option<String>,
    pub failed: Vec<String>,
    pub rerun: Vec<String>,
    pub passed_on_rerun: Vec<String>,
    pub env_changed: Vec<String>,
    pub timeouts: Vec<String>,
    pub crashed: Vec<String>,
    /// (test, kind, counts).
    pub leaks: BTreeSet<(String, String, Vec<i64>)>,
    pub infrastructure: bool,
    pub last_running: Option<String>,
    pub rebuilt_from_events: bool,
}

impl Reported {
    fn of(s: &LogSummary) -> Reported {
        Reported {
            seed: s.seed,
            result: s.result.clone(),
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
            infrastructure: !s.infrastructure.is_empty(),
            last_running: s.last_running.clone(),
            rebuilt_from_events: s.rebuilt_from_events,
        }
    }
}

/// Compare what was reported of case `name` with what it expects: (fields right, fields
/// compared, what is wrong). `who` names the reader in the messages.
pub(crate) fn judge(
    name: &str,
    case: &Case,
    r: &Reported,
    who: &str,
) -> (usize, usize, Vec<String>) {
    let mut wrong = Vec::new();
    let complete = COMPLETE_SUMMARY.iter().any(|c| name.starts_with(c));
    if r.rebuilt_from_events == complete {
        wrong.push(format!(
            "{name}: rebuilt_from_events is {}, but the log {} a complete final summary",
            r.rebuilt_from_events,
            if complete { "holds" } else { "lacks" }
        ));
    }
    let fields = fields(&case.expected, r);
    let mut right = 0;
    for field in &fields {
        let disagreement = DISAGREEMENTS
            .iter()
            .find(|(c, f, _)| name.starts_with(c) && *f == field.name);
        if field.right() || disagreement.is_some() {
            right += 1;
        } else {
            wrong.push(format!(
                "{name}: {}: expected {}, {who} reports {}",
                field.name, field.expected, field.reported
            ));
        }
    }
    (right, fields.len(), wrong)
}

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

/// `null` (cannot be known) and `[]` (none) both mean the parser names no test.
fn list(v: &Option<Vec<String>>) -> BTreeSet<String> {
    v.as_deref().map(set).unwrap_or_default()
}

/// One field's expected and reported values, printed when they differ.
#[derive(Debug)]
struct Field {
    name: &'static str,
    expected: String,
    reported: String,
}

impl Field {
    fn right(&self) -> bool {
        self.expected == self.reported
    }
}

fn fields(e: &Expected, s: &Reported) -> Vec<Field> {
    let f = |name, expected: String, reported: String| Field {
        name,
        expected,
        reported,
    };
    let (crashed, leaks) = (&s.crashed, &s.leaks);
    let expected_leaks: BTreeSet<(String, String, Vec<i64>)> = e
        .leaks
        .iter()
        .flatten()
        .map(|l| (l.test.clone(), l.kind.clone(), l.counts.clone()))
        .collect();
    vec![
        f("seed", format!("{:?}", e.seed), format!("{:?}", s.seed)),
        f(
            "result",
            format!("{:?}", e.result),
            format!("{:?}", s.result),
        ),
        f(
            "failed",
            format!("{:?}", list(&e.failed)),
            format!("{:?}", set(&s.failed)),
        ),
        f(
            "rerun",
            format!("{:?}", list(&e.rerun)),
            format!("{:?}", set(&s.rerun)),
        ),
        f(
            "rerun_passed",
            format!("{:?}", list(&e.rerun_passed)),
            format!("{:?}", set(&s.passed_on_rerun)),
        ),
        f(
            "env_changed",
            format!("{:?}", list(&e.env_changed)),
            format!("{:?}", set(&s.env_changed)),
        ),
        f(
            "timeouts",
            format!("{:?}", list(&e.timeouts)),
            format!("{:?}", set(&s.timeouts)),
        ),
        f(
            "crashed",
            format!("{:?}", list(&e.crashed)),
            format!("{:?}", set(crashed)),
        ),
        f("leaks", format!("{expected_leaks:?}"), format!("{leaks:?}")),
        f(
            "infrastructure",
            if e.infrastructure.is_some() {
                "a cause".into()
            } else {
                "none".into()
            },
            if s.infrastructure {
                "a cause".into()
            } else {
                "none".into()
            },
        ),
        f(
            "last_running",
            format!("{:?}", e.last_running),
            format!("{:?}", s.last_running),
        ),
    ]
}

#[test]
fn every_real_log_reads_as_a_core_developer_reads_it() {
    let names = case_names();
    assert!(names.len() >= 18, "cases found: {names:?}");
    let mut table = Vec::new();
    let mut wrong = Vec::new();
    let (mut right_total, mut total) = (0, 0);
    for name in &names {
        let log = std::fs::read(cases_dir().join(format!("{name}.log"))).expect("case log");
        let case = read_case(name);
        let (right, compared, mut errors) =
            judge(name, &case, &Reported::of(&parse(&log)), "parser");
        wrong.append(&mut errors);
        right_total += right;
        total += compared;
        table.push(format!("{name}: {right}/{compared}"));
    }
    println!("{}\ntotal: {right_total}/{total}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `repro` on the same logs: a seeded command whenever the seed is known, the options a test
/// needs kept, the order replayed only when it carries over, bisect_cmd for a -jN run.
#[test]
fn repro_plans_of_the_real_logs() {
    use bbreport::model::regrtest::RunMode;
    use bbreport::model::repro::{CommandOrigin, ReproMode, plan};
    let mut plans = 0;
    for name in case_names() {
        let log = std::fs::read(cases_dir().join(format!("{name}.log"))).expect("case log");
        let s = parse(&log);
        let Some(p) = plan(&s) else {
            continue;
        };
        plans += 1;
        if let Some(seed) = s.seed {
            let command = p.command.as_deref().unwrap_or_default();
            let ordered = matches!(
                s.mode,
                Some(RunMode::Sequential | RunMode::Parallel { workers: 1 })
            );
            assert!(
                command.contains(&format!("--randseed={seed}"))
                    || (p.randomized == Some(false) && ordered),
                "{name}: {command}"
            );
        }
        match s.mode {
            Some(RunMode::Parallel { workers }) if workers != 1 => {
                assert_eq!(p.mode, ReproMode::Parallel { workers }, "{name}");
            }
            None => assert_eq!(p.mode, ReproMode::OrderUnknown, "{name}"),
            _ => {}
        }
        if s.command.is_none() && s.seed.is_none() {
            assert_eq!(p.origin, CommandOrigin::Unknown, "{name}");
        }
    }
    assert_eq!(
        plans, 9,
        "the cases with a failed, crashed or timed-out test"
    );
    // The one with a command, a seed and -j8: the seeded command and regrtest's bisection.
    let log = std::fs::read(cases_dir().join("16-local-313-asyncio-package-subtests-counter.log"))
        .expect("case 16");
    let p = plan(&parse(&log)).expect("a plan");
    assert_eq!(
        (p.command.as_deref(), &p.mode, p.target.as_str()),
        (
            Some("./python -m test test_asyncio -wW -j8 --randseed=1988926982"),
            &ReproMode::Parallel { workers: 8 },
            "test_asyncio.test_server"
        )
    );
}
