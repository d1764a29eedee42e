//! `failures` never drops a failed build (issue 14): a failed or EXCEPTION build whose log names
//! no failing test (compile failure, a step after the tests, Buildbot's no-output kill, a test
//! runner that failed before any test ran, a log the server deleted or will not serve) is
//! listed with what is known of it, in every format; and a build that names no test is no
//! evidence that a test passed, so it cannot make a first failure "flaky".
//!
//! Histories come from the fake master (`common::fake_master`, real regrtest logs).

use crate::common::fake_master::{Build, Builder, Steps, log, serve_master};
use crate::common::*;

fn run(url: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--server", url];
    all.extend_from_slice(args);
    bbreport(&all)
}

/// A test step log Buildbot killed for printing nothing for 1200 s while test_bbr_hang ran:
/// regrtest never printed a summary, and no progress line names a failed test.
fn killed_log() -> String {
    let pass = log("pass.txt");
    let head: Vec<&str> = pass.lines().take(12).collect();
    format!(
        "{}\n0:00:00 load avg: 0.56 [1/2] test_bbr_io passed\n\
         0:00:30 load avg: 0.56 running (1): test_bbr_hang (30.0 sec)\n\n\
         command timed out: 1200 seconds without output running [b'make', b'buildbottest'], attempting to kill\n\
         process killed by signal 9\nprogram finished with exit code -1\n",
        head.join("\n")
    )
}

/// The iOS testbed's runner failing before any test ran (tests/fixtures/regrtest-cases/26-…).
fn runner_failed_log() -> String {
    let path = format!(
        "{}/tests/fixtures/regrtest-cases/26-ios-testbed-simulator-detection-infra-no-tests.log",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn build(builderid: u32, number: u32, results: i64, state: &str, steps: Steps) -> Build {
    Build {
        builderid,
        number,
        results,
        state_string: state.into(),
        steps,
        running_on: None,
    }
}

/// Eight builders, each green for #1..#3, and #4 failed in a way no failing test explains
/// (builder 8's #4 fails test_bbr_broken: the one test of the matrix).
fn fleet() -> String {
    let names = [
        "AMD64 Compile 3.x",
        "AMD64 Killed 3.x",
        "AMD64 Runner 3.x",
        "AMD64 Deleted 3.x",
        "AMD64 Unreadable 3.x",
        "AMD64 Upload 3.x",
        "AMD64 Lost 3.x",
        "AMD64 Broken 3.x",
    ];
    let builders = (1..)
        .zip(names)
        .map(|(id, n)| Builder::new(id, n))
        .collect();
    let mut builds = Vec::new();
    for id in 1..=8 {
        builds.extend((1..=3).map(|n| Build::pass(id, n)));
    }
    let failed = "failed test (failure)";
    builds.extend([
        Build::compile_failed(1, 4),
        build(2, 4, 2, failed, Steps::Test(2, killed_log())),
        build(3, 4, 2, failed, Steps::Test(2, runner_failed_log())),
        build(4, 4, 2, failed, Steps::TestLogDeleted(2, 5_000)),
        build(5, 4, 2, failed, Steps::TestLogUnreadable(2, 5_000)),
        build(
            6,
            4,
            2,
            "failed upload (failure)",
            Steps::FailedAfterTests("upload", log("pass.txt")),
        ),
        Build::exception_in_test(7, 4, killed_log()),
        Build::fail(8, 4, log("fail.txt")),
    ]);
    serve_master(builders, builds)
}

#[test]
fn every_failed_build_is_listed_in_plain_text() {
    let url = fleet();
    let o = run(&url, &["--format", "plain", "failures", "3.x"]);
    let out = stdout(&o);
    // The unreadable log is data missing: the report is printed and says so, exit 6.
    assert_eq!(code(&o), 6, "{}\n{out}", stderr(&o));
    for (builder, what) in [
        ("AMD64 Compile 3.x", "#4 failed compile"),
        (
            "AMD64 Killed 3.x",
            "#4 failed test: the log names no failing test; Buildbot killed the step: \
             command timed out: 1200 seconds without output",
        ),
        ("AMD64 Killed 3.x", "(while test_bbr_hang ran)"),
        (
            "AMD64 Runner 3.x",
            "#4 failed test: the log names no failing test; the test runner could not tell which simulator",
        ),
        (
            "AMD64 Runner 3.x",
            "the test runner failed before any test ran",
        ),
        (
            "AMD64 Deleted 3.x",
            "#4 failed test: its test log (5000 lines) was deleted by the server",
        ),
        (
            "AMD64 Unreadable 3.x",
            "#4 failed test: its log could not be read",
        ),
        ("AMD64 Upload 3.x", "#4 failed upload"),
        (
            "AMD64 Lost 3.x",
            "#4 exception test: Buildbot killed the step: command timed out",
        ),
    ] {
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with(builder))
            .unwrap_or_else(|| panic!("{builder} is not listed:\n{out}"));
        assert!(
            line.contains(what),
            "{builder}: {line:?} lacks {what:?}\n{out}"
        );
    }
    assert!(
        out.contains("\nFailed in the test step, no failing test named:\n"),
        "{out}"
    );
    assert!(out.contains("\nFailed outside the test step:\n"), "{out}");
    assert!(
        stderr(&o).contains("could not read the test log of AMD64 Unreadable 3.x #4"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_failed_build_is_in_the_json_with_what_is_known() {
    let url = fleet();
    let o = run(&url, &["--format", "json", "failures", "3.x"]);
    assert_eq!(code(&o), 6, "{}", stderr(&o));
    let v = parse_failures(&o);
    assert_eq!(v.tests.len(), 1, "{:?}", v.tests);
    let no_test: Vec<(&str, &str, Option<&str>)> = v
        .no_failing_test
        .iter()
        .map(|b| (b.builder.as_str(), b.why.as_str(), b.step.as_deref()))
        .collect();
    assert_eq!(
        no_test,
        [
            ("AMD64 Killed 3.x", "log_names_no_test", Some("test")),
            ("AMD64 Runner 3.x", "log_names_no_test", Some("test")),
            ("AMD64 Deleted 3.x", "log_deleted", Some("test")),
            ("AMD64 Unreadable 3.x", "log_unreadable", None),
        ]
    );
    let killed = &v.no_failing_test[0];
    assert_eq!(killed.last_test.as_deref(), Some("test_bbr_hang"));
    assert!(
        killed
            .causes
            .iter()
            .any(|c| c.contains("1200 seconds without output")),
        "{:?}",
        killed.causes
    );
    assert_eq!(v.no_failing_test[2].log_lines, Some(5000));
    assert!(v.no_failing_test[3].read_error.is_some());
    let outside: Vec<(&str, Option<&str>)> = v
        .outside_tests
        .iter()
        .map(|b| (b.builder.as_str(), b.step.as_deref()))
        .collect();
    assert_eq!(
        outside,
        [
            ("AMD64 Compile 3.x", Some("compile")),
            ("AMD64 Upload 3.x", Some("upload"))
        ]
    );
    assert_eq!(v.test_step_exceptions.len(), 1);
    assert_eq!(v.test_step_exceptions[0].builder, "AMD64 Lost 3.x");
}

#[test]
fn every_format_shows_the_builds_no_test_explains() {
    let url = fleet();
    for format in ["table", "markdown", "html"] {
        let o = run(&url, &["--format", format, "failures", "3.x"]);
        assert_eq!(code(&o), 6, "{format}: {}", stderr(&o));
        let out = stdout(&o);
        for builder in [
            "AMD64 Compile 3.x",
            "AMD64 Killed 3.x",
            "AMD64 Runner 3.x",
            "AMD64 Deleted 3.x",
            "AMD64 Unreadable 3.x",
            "AMD64 Upload 3.x",
            "AMD64 Lost 3.x",
        ] {
            assert!(out.contains(builder), "{format}: {builder} missing\n{out}");
        }
        for what in [
            "names no failing test",
            "was deleted by the server",
            "could not be read",
            "1200 seconds without output",
        ] {
            assert!(out.contains(what), "{format}: {what:?} missing\n{out}");
        }
    }
}

/// A build killed before its summary names no test: it is no evidence that test_bbr_broken
/// passed. #3 failed it after green builds, #4 was killed: still a fresh failure, not flaky.
#[test]
fn a_killed_build_is_no_pass_so_a_first_failure_stays_unknown() {
    let mut builds: Vec<Build> = (1..=2).map(|n| Build::pass(1, n)).collect();
    builds.push(Build::fail(1, 3, log("fail.txt")));
    builds.push(build(
        1,
        4,
        2,
        "failed test (failure)",
        Steps::Test(2, killed_log()),
    ));
    let url = serve_master(vec![Builder::new(1, "AMD64 Fresh 3.x")], builds);
    let o = run(&url, &["--format", "plain", "failures", "3.x"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("\ntest_bbr_broken  unknown (too few builds), 1 builder\n    AMD64 Fresh 3.x  #3  (failing since #3)\n"),
        "{out}"
    );
    assert!(!out.contains("flaky"), "{out}");
    assert!(!out.contains("passing since"), "{out}");
}
