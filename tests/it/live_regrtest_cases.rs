//! The real regrtest logs end to end: printed by the `test` step of a real Buildbot 4.3 master
//! (the harness's `cases` fleet, tests/harness/regrtest_logs.py) and read back by `bbreport`
//! with its default reading (no --full-log), as a user reads a builder.
//!
//! - every case of tests/fixtures/regrtest-cases/ as it is (build 1 of `Case NN-name 3.x`) and
//!   inside a long passing run (build 2: 3,000 passing progress lines before it, 600 after, so
//!   the default head and tail windows miss it), each compared with the case's expected fields
//!   as tests/it/common/regrtest_cases.rs says;
//! - the devguide's current `make buildbottest` shape (real regrtest, -j4, a re-run phase with
//!   one worker): `build`, `failures 3.14`, `repro`;
//! - a long run killed by Buildbot's no-output timeout, its two failures only in its middle:
//!   `build`, `failures 3.14`, `repro`.

use std::path::Path;

use crate::common::regrtest_cases::{Reported, case_names, judge, load_case};
use crate::common::*;

/// The cases master's manifest (scripts/test.sh starts it with `harness.py up … --fleet
/// cases`); without it these tests fail rather than pass vacuously.
fn cases_manifest() -> Manifest {
    let path = std::env::var("BBREPORT_TEST_CASES_MANIFEST").expect(
        "BBREPORT_TEST_CASES_MANIFEST is not set: run scripts/test.sh, which starts the cases master",
    );
    load_manifest(Path::new(&path))
}

const DEVGUIDE: &str = "AMD64 Devguide Shape 3.14";
const KILLED: &str = "AMD64 Killed Long Run 3.14";

/// Buildbot's no-output timeout of the killed run's test step (CASES_NO_OUTPUT_TIMEOUT in
/// tests/harness/harness.py), and the seed its log prints (killed_seed in regrtest_logs.py:
/// 2,849,000,000 + the build number).
const KILLED_TIMEOUT_LINE: &str = "command timed out: 4 seconds without output";
const KILLED_SEED: u64 = 2_849_000_001;
/// The killed run's failures, in the middle of its log, and the test it hangs in.
const KILLED_FAILED: [&str; 2] = ["test.test_asyncio.test_subprocess", "test_ssl"];
const KILLED_HANG: &str = "test.test_multiprocessing_spawn.test_processes";

fn run_json(m: &Manifest, args: &[&str]) -> std::process::Output {
    live(
        &[
            &["--server", m.server.as_str(), "--format", "json"][..],
            args,
        ]
        .concat(),
    )
}

fn build(m: &Manifest, builder: &str, number: u32) -> BuildReportJson {
    build_with(m, builder, number, &[])
}

fn build_with(m: &Manifest, builder: &str, number: u32, extra: &[&str]) -> BuildReportJson {
    let number = number.to_string();
    let o = run_json(
        m,
        &[&["build", builder, number.as_str()][..], extra].concat(),
    );
    assert_eq!(code(&o), 0, "{builder} #{number}: {}", stderr(&o));
    parse_build(&o)
}

/// The builder of every case, checked against the case list.
fn case_builders(m: &Manifest) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = m
        .builders
        .iter()
        .filter_map(|b| Some((b.case.clone()?, b.name.clone())))
        .collect();
    v.sort();
    let cases: Vec<String> = v.iter().map(|(c, _)| c.clone()).collect();
    assert_eq!(
        cases,
        case_names(),
        "the cases fleet prints every case once"
    );
    v
}

/// The build result a case's log means: FAILURE for a failed, crashed, hung or leaking run,
/// WARNINGS when regrtest says the failures passed on re-run.
fn expected_build_result(case: &str) -> &'static str {
    match load_case(case).expected.result.as_deref() {
        Some("FAILURE then SUCCESS") => "warnings",
        _ => "failure",
    }
}

/// Build `number` of every case builder (read with `extra` options), compared field by field
/// with the case; one failure message lists every wrong field of every case.
fn judge_every_case(number: u32, long_run: bool, extra: &[&str]) {
    let m = cases_manifest();
    let mut wrong = Vec::new();
    let mut table = Vec::new();
    let (mut right_total, mut total) = (0, 0);
    for (case, builder) in case_builders(&m) {
        let v = build_with(&m, &builder, number, extra);
        if v.result.as_deref() != Some(expected_build_result(&case)) {
            wrong.push(format!(
                "{case}: build result {:?}, expected {}",
                v.result,
                expected_build_result(&case)
            ));
        }
        let t = v.test_log.as_ref().expect("the test step's log");
        let lines = t.num_lines.expect("a finished log has a line count");
        let read: u64 = t.windows.iter().map(|w| w.limit).sum();
        if long_run && extra.is_empty() {
            // The harness did put the case out of reach of the head and tail windows (100 and
            // 400 lines); without a final summary in them, a log this short (at most 5,000
            // lines, README "Long logs without a final summary") is read whole, and the
            // middle of a longer one is searched (`killed_long_run_…` below).
            assert!(lines >= 3_600, "{case}: {lines} lines");
            assert_eq!(read, lines, "{case}: read {read} of {lines} lines");
        } else {
            assert_eq!(
                read, lines,
                "{case}: a short log is read whole, or --full-log"
            );
        }
        let Some(summary) = t.summary.as_ref() else {
            wrong.push(format!("{case}: no parsed test log"));
            continue;
        };
        let verdict = judge(&case, &load_case(&case).expected, &Reported::from(summary));
        right_total += verdict.right;
        total += verdict.total;
        table.push(format!("{case}: {}/{}", verdict.right, verdict.total));
        wrong.extend(verdict.wrong);
    }
    println!("{}\ntotal: {right_total}/{total}", table.join("\n"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn every_real_case_printed_by_a_build_reads_as_a_core_developer_reads_it() {
    judge_every_case(1, false, &[]);
}

/// Each case again, 3,000 passing lines into a long run with 600 after it: bbreport's default
/// reading must find what the case says although its head and tail windows miss it.
#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn every_real_case_inside_a_long_passing_run_reads_the_same_by_default() {
    judge_every_case(2, true, &[]);
}

/// The long runs read whole (--full-log) say what the cases say: what surrounds each case
/// (LONG_RUN_SHAPE in tests/harness/regrtest_logs.py) changes none of its expected fields, so
/// what the default reading misses it misses for want of the lines.
#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn every_long_run_read_whole_reads_as_its_case() {
    judge_every_case(2, true, &["--full-log"]);
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn devguide_shape_build_names_the_failure_and_the_main_runs_workers() {
    let m = cases_manifest();
    let v = build(&m, DEVGUIDE, 1);
    assert_eq!(v.result.as_deref(), Some("failure"));
    let s = v.log_summary();
    assert_eq!(s.result.as_deref(), Some("FAILURE then FAILURE"));
    assert_eq!(
        (s.failed.as_slice(), s.rerun.as_slice()),
        (
            &["test_bbr_broken".to_string()][..],
            &["test_bbr_broken".to_string()][..]
        )
    );
    assert!(s.passed_on_rerun.is_empty(), "{s:?}");
    assert!(s.seed.is_some(), "regrtest printed its random seed: {s:?}");
    // `Run 5 tests in parallel using 4 worker processes`, not the re-run phase's 1 worker.
    assert_eq!(
        (s.mode.as_deref(), s.workers),
        (Some("parallel"), Some(4)),
        "{s:?}"
    );
    let command = s.command.as_deref().expect("the Makefile's command line");
    assert!(
        command.starts_with("./python -E  -m test --slow-ci --timeout=1200 -j2"),
        "{command}"
    );
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn devguide_shape_repro_gives_the_seeded_parallel_command() {
    let m = cases_manifest();
    let seed = build(&m, DEVGUIDE, 1).log_summary().seed.expect("a seed");
    let o = run_json(&m, &["repro", DEVGUIDE]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_repro(&o);
    assert_eq!((r.number, r.target.as_str()), (1, "test_bbr_broken"));
    assert_eq!(r.seed, Some(seed));
    let command = r.command.as_deref().expect("the seeded command");
    assert!(command.starts_with("./python -E -m test "), "{command}");
    assert!(command.contains(&format!("--randseed={seed}")), "{command}");
    assert!(command.contains("-j4"), "{command}");
    assert_eq!(r.command_source.as_deref(), Some("log"));
    assert!(r.guessed.is_empty(), "{:?}", r.guessed);
    // -j4: no order replay nor bisect halves, regrtest's own bisection of the failing test.
    assert_eq!(
        (r.mode.kind.as_str(), r.mode.workers),
        ("parallel", Some(4))
    );
    assert!(r.mode.before.is_none() && r.mode.first_half.is_none());
    let bisect = r.mode.bisect.as_deref().expect("bisect_cmd");
    assert!(
        bisect.contains("-m test.bisect_cmd") && bisect.contains("test_bbr_broken"),
        "{bisect}"
    );
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn killed_long_run_build_finds_the_failures_in_its_middle() {
    let m = cases_manifest();
    let v = build(&m, KILLED, 1);
    assert_eq!(v.result.as_deref(), Some("failure"));
    let t = v.test_log.as_ref().expect("test log");
    let lines = t.num_lines.expect("line count");
    let read: u64 = t.windows.iter().map(|w| w.limit).sum();
    assert!(lines > 10_000, "{lines} lines");
    assert!(
        read < lines,
        "targeted windows, not the whole log: read {read} of {lines} lines"
    );
    let s = v.log_summary();
    // What the head and the tail say: the command, seed and workers; Buildbot's kill; the test
    // still running in the `-- running` lists and heartbeat.
    assert_eq!(s.seed, Some(KILLED_SEED));
    assert_eq!((s.mode.as_deref(), s.workers), (Some("parallel"), Some(8)));
    assert!(
        s.infrastructure
            .iter()
            .any(|c| c.contains(KILLED_TIMEOUT_LINE)),
        "{:?}",
        s.infrastructure
    );
    assert_eq!(s.last_test.as_deref(), Some(KILLED_HANG));
    assert_eq!(s.result, None, "the run never printed its final result");
    // What only the middle says: the `[N/M/2]` counters of the tail say two tests failed.
    assert!(
        s.rebuilt_from_events,
        "no final summary: rebuilt from events"
    );
    let mut failed = s.failed.clone();
    failed.sort();
    assert_eq!(failed, KILLED_FAILED, "{s:?}");
    assert!(
        s.excerpts.iter().any(|l| l.starts_with("ssl.SSLError:"))
            && s.excerpts
                .iter()
                .any(|l| l.starts_with("AssertionError: -9 != None")),
        "the failures' own lines: {:?}",
        s.excerpts
    );
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn failures_on_the_branch_name_the_tests_of_both_logs() {
    let m = cases_manifest();
    let o = run_json(&m, &["failures", "3.14"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let f = parse_failures(&o);
    assert_eq!(f.branch, "3.14");
    let where_failing = |test: &str| -> Vec<(String, Vec<u32>)> {
        f.tests
            .iter()
            .filter(|t| t.test == test)
            .flat_map(|t| &t.occurrences)
            .map(|o| {
                (
                    o.builder.clone(),
                    o.builds.iter().map(|b| b.number).collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        where_failing("test_bbr_broken"),
        [(DEVGUIDE.to_string(), vec![1])]
    );
    for test in KILLED_FAILED {
        assert_eq!(
            where_failing(test),
            [(KILLED.to_string(), vec![1])],
            "{test} in {:?}",
            f.tests
        );
    }
    let mut named: Vec<&str> = f.tests.iter().map(|t| t.test.as_str()).collect();
    named.sort();
    let mut want = vec!["test_bbr_broken"];
    want.extend(KILLED_FAILED);
    want.sort();
    assert_eq!(named, want, "exactly the tests that failed on 3.14");
}

#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn killed_long_run_repro_gives_the_seeded_parallel_command() {
    let m = cases_manifest();
    let o = run_json(&m, &["repro", KILLED]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_repro(&o);
    assert_eq!(r.number, 1);
    let mut failed = r.failed.clone();
    failed.sort();
    assert_eq!(failed, KILLED_FAILED);
    assert!(KILLED_FAILED.contains(&r.target.as_str()), "{}", r.target);
    assert_eq!(r.seed, Some(KILLED_SEED));
    let command = r.command.as_deref().expect("the seeded command");
    assert!(command.starts_with("./python "), "{command}");
    assert!(
        command.contains(&format!("--randseed={KILLED_SEED}")),
        "{command}"
    );
    assert!(command.contains("-j8"), "{command}");
    // -j8: regrtest's bisection of the failing test, not a replay of 4,000 tests in order.
    assert_eq!(
        (r.mode.kind.as_str(), r.mode.workers),
        ("parallel", Some(8))
    );
    assert!(r.mode.before.is_none() && r.mode.first_half.is_none());
    let bisect = r.mode.bisect.as_deref().expect("bisect_cmd");
    assert!(
        bisect.contains("-m test.bisect_cmd") && bisect.contains(&r.target),
        "{bisect}"
    );
}

/// The 10 MB log (150,000 lines) killed with three failures far apart in its middle: found by
/// the search within its budget, a small part of the log read (scripts/bench-logs.sh measures
/// it against --full-log).
#[test]
#[ignore = "needs the real Buildbot masters: run scripts/test.sh"]
fn a_killed_10_mb_log_has_its_middle_searched_within_the_budget() {
    let m = cases_manifest();
    let v = build(&m, "AMD64 Killed Huge Run 3.13", 1);
    let t = v.test_log.as_ref().expect("test log");
    let lines = t.num_lines.expect("line count");
    assert!(lines > 150_000, "{lines} lines");
    let read: u64 = t.windows.iter().map(|w| w.limit).sum();
    assert!(read * 10 < lines, "read {read} of {lines} lines");
    let search = t.search.as_ref().expect("the middle was searched");
    assert_eq!((search.counted, search.unlocated), (3, 0), "{search:?}");
    assert!(!search.budget_spent && search.requests <= 32, "{search:?}");
    assert!(search.bytes < 1024 * 1024, "{search:?}");
    let mut failed = v.log_summary().failed.clone();
    failed.sort();
    assert_eq!(
        failed,
        [
            "test.test_asyncio.test_subprocess",
            "test_socket",
            "test_ssl"
        ]
    );
}
