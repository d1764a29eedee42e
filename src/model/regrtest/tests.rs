//! The parser on real regrtest output captured from the harness (tests/fixtures/logs) and on
//! each wording regrtest has used, 3.8 to 3.16 (the real logs of CPython issues are
//! tests/it/regrtest_cases.rs).

use super::*;

fn fixture(name: &str) -> LogSummary {
    let path = format!("{}/tests/fixtures/logs/{name}", env!("CARGO_MANIFEST_DIR"));
    parse(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

fn lines(lines: &[&str]) -> LogSummary {
    parse(lines.join("\n").as_bytes())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn passing_run() {
    let s = fixture("pass.txt");
    assert_eq!(s.result.as_deref(), Some("SUCCESS"));
    assert!(s.failed.is_empty() && s.rerun.is_empty());
    assert_eq!(s.seed, Some(1001));
    assert_eq!(s.mode, Some(RunMode::Parallel { workers: 1 }));
    assert_eq!(s.workers(), Some(1));
    assert!(!s.rebuilt_from_events);
    assert_eq!(s.last_running, None);
    assert!(
        s.command
            .as_deref()
            .is_some_and(|c| c.contains("-m test") && c.contains("--randseed=1001")),
        "{:?}",
        s.command
    );
    assert!(
        s.platform.iter().any(|p| p.starts_with("CPython ")),
        "{:?}",
        s.platform
    );
}

#[test]
fn run_order_excludes_reruns() {
    let s = fixture("fail.txt");
    assert_eq!(s.order.len(), 3, "{:?}", s.order);
    assert!(s.order.contains(&"test_bbr_broken".to_string()));
    let s = parse(b"0:00:00 load avg: 0.1 [1/2] test_b\n0:00:01 load avg: 0.1 [2/2] test_a failed\n0:00:01 load avg: 0.1 Re-running 1 failed tests in verbose mode\n0:00:02 load avg: 0.1 [1/1] test_c\n");
    assert_eq!(s.order, ["test_b", "test_a"]);
}

#[test]
fn persistent_failure() {
    let s = fixture("fail.txt");
    assert_eq!(s.result.as_deref(), Some("FAILURE then FAILURE"));
    assert_eq!(s.failed, ["test_bbr_broken"]);
    assert_eq!(s.rerun, ["test_bbr_broken"]);
    assert!(
        s.excerpts
            .iter()
            .any(|l| l.starts_with("FAIL: test_regression")),
        "{:?}",
        s.excerpts
    );
    assert!(
        s.excerpts.iter().any(|l| l.starts_with("AssertionError: ")),
        "{:?}",
        s.excerpts
    );
    assert!(s.passed_on_rerun.is_empty());
}

#[test]
fn flaky_failure_passes_on_rerun() {
    let s = fixture("flaky.txt");
    assert_eq!(s.result.as_deref(), Some("FAILURE then SUCCESS"));
    assert!(s.failed.is_empty(), "{:?}", s.failed);
    assert_eq!(s.passed_on_rerun, ["test_bbr_flaky"]);
}

#[test]
fn timeout_names_the_test_and_its_dead_worker() {
    let s = fixture("timeout.txt");
    assert_eq!(s.timeouts, ["test_bbr_hang"]);
    assert_eq!(s.failed, ["test_bbr_hang"]);
    assert_eq!(s.timeout, Some(3));
    // faulthandler's timeout ends the worker with exit code 1: its process died, and a core
    // developer counts that as a crash too (issue 14's cases 02 and 06).
    assert_eq!(
        s.crashes,
        [("test_bbr_hang".to_string(), "Exit code 1".to_string())]
    );
}

#[test]
fn crash_names_the_test_and_signal() {
    let s = fixture("crash.txt");
    assert_eq!(
        s.crashes.first().map(|(t, how)| (t.as_str(), how.as_str())),
        Some(("test_bbr_crash", "Exit code -11 (SIGSEGV)"))
    );
    assert_eq!(s.fatal_errors, ["Segmentation fault"]);
    assert_eq!(s.failed, ["test_bbr_crash"]);
}

#[test]
fn full_disk_is_infrastructure() {
    let s = fixture("diskfull.txt");
    assert_eq!(s.infrastructure, ["No space left on device"]);
    assert!(
        s.excerpts
            .iter()
            .any(|l| l.starts_with("OSError: [Errno 28] No space left on device")),
        "{:?}",
        s.excerpts
    );
    assert_eq!(s.failed, ["test_bbr_diskfull"]);
}

#[test]
fn refleak_run_on_a_debug_build() {
    let s = fixture("leak.txt");
    assert_eq!(
        s.leaks,
        [Leak {
            test: "test_bbr_leak".into(),
            kind: "references".into(),
            counts: vec![1, 1, 1]
        }]
    );
    assert_eq!(s.leaks[0].what(), "references, sum=3");
    assert_eq!(s.failed, ["test_bbr_leak"]);
    assert_eq!(
        s.refleak,
        Some(Refleak {
            repetitions: 6,
            warmups: None
        })
    );
}

#[test]
fn leak_lines_and_old_summary_formats() {
    // Several leak kinds on one test, one regrtest calls fine, and the old "failed again" block.
    let s = lines(&[
        "0:01:02 load avg: 1.0 [3/9] test_ssl",
        "beginning 6 repetitions. Showing number of leaks (. for 0 or less, X for 10 or more)",
        "123:456",
        "... ...",
        "test_ssl leaked [1, 1, 1] references, sum=3",
        "test_ssl leaked [1, 1, 1] memory blocks, sum=3",
        "test_ssl leaked [0, 1, -1] file descriptors, sum=0",
        "test_os leaked [0, 1, 0] references, sum=1 (this is fine)",
        "",
        "2 tests failed:",
        "    test_ssl test_os",
        "",
        "1 test failed again:",
        "    test_ssl",
        "",
        "1 re-run test:",
        "    test_os",
    ]);
    let leaks: Vec<(&str, &str, Vec<i64>)> = s
        .leaks
        .iter()
        .map(|l| (l.test.as_str(), l.kind.as_str(), l.counts.clone()))
        .collect();
    assert_eq!(
        leaks,
        [
            ("test_ssl", "references", vec![1, 1, 1]),
            ("test_ssl", "memory blocks", vec![1, 1, 1]),
            ("test_ssl", "file descriptors", vec![0, 1, -1]),
        ]
    );
    assert_eq!(
        s.refleak,
        Some(Refleak {
            repetitions: 6,
            warmups: Some(3)
        })
    );
    assert_eq!(s.failed, ["test_ssl"]);
    assert_eq!(s.passed_on_rerun, ["test_os"]);
}

#[test]
fn buildbot_stdio_prefixes_are_dropped_and_windows_suffice() {
    let s = parse_stdio_chunks([
        "hmake buildbottest\noUsing random seed: 42\n",
        "o== Tests result: SUCCESS ==\n",
    ]);
    assert_eq!((s.seed, s.result.as_deref()), (Some(42), Some("SUCCESS")));
}

#[test]
fn invalid_utf8_colour_and_crlf_do_not_break_it() {
    let s = parse(b"Using random seed: 7\r\n\xff\xfe garbage\n== Tests result: FAILURE ==\r\n");
    assert_eq!((s.seed, s.result.as_deref()), (Some(7), Some("FAILURE")));
    let s = parse(b"0:00:01 load avg: 0.1 [1/2/1] \x1b[31mtest_x failed (1 error)\x1b[0m\n");
    assert_eq!(s.failed, ["test_x"]);
}

#[test]
fn progress_lines_in_every_wording_and_both_phases() {
    let s = lines(&[
        "0:00:00 load avg: 0.41 Run 9 tests in parallel using 8 worker processes",
        "0:00:01 load avg: 0.41 [1/9] test_a passed",
        "0:00:02 load avg: 0.41 [2/9/1] test_b failed (1 error, 2 failures)",
        "0:00:03 load avg: 0.41 [3/9/2] test_c failed (env changed) (1 min 22 sec)",
        "0:00:04 load avg: 0.41 [4/9/2] test_d skipped",
        "0:00:05 load avg: 0.41 [5/9/2] test_e skipped (resource denied)",
        "0:00:06 load avg: 0.41 [6/9/3] test_f crashed (Exit code -6)",
        "0:00:07 load avg: 0.41 [7/9/4] test_g timed out (20 min)",
        "0:00:08 load avg: 0.41 [8/9/5] test_h failed (uncaught exception)",
        "0:00:09 load avg: 0.41 [9/9/6] test_i failed (reference leak)",
        "0:00:10 load avg: 0.41 Re-running 6 failed tests in verbose mode in subprocesses",
        "0:00:10 load avg: 0.41 Run 6 tests in parallel using 1 worker process",
        "0:00:11 load avg: 0.41 [1/6] test_b passed",
        "0:00:12 load avg: 0.41 [2/6/1] test_h failed (1 error)",
    ]);
    assert!(s.rebuilt_from_events);
    assert_eq!(
        s.mode,
        Some(RunMode::Parallel { workers: 8 }),
        "the main run's"
    );
    assert_eq!(s.failed, strings(&["test_h", "test_i"]));
    assert_eq!(s.passed_on_rerun, ["test_b"]);
    assert_eq!(s.rerun, strings(&["test_b", "test_h"]));
    assert_eq!(s.env_changed, ["test_c"]);
    assert_eq!(s.skipped, ["test_d"]);
    assert_eq!(s.resource_denied, ["test_e"]);
    assert_eq!(
        s.crashes,
        [("test_f".to_string(), "Exit code -6 (SIGABRT)".to_string())]
    );
    assert_eq!(s.timeouts, ["test_g"]);
    assert_eq!(s.last_running, None, "the last line says its test ended");
}

#[test]
fn sequential_runs_report_the_previous_test_and_the_running_one() {
    let s = lines(&[
        "Using random seed 123",
        "0:00:00 load avg: 0.1 Run tests sequentially",
        "0:00:00 load avg: 0.1 [1/4] test_a",
        "0:00:05 load avg: 0.1 [2/4] test_b -- test_a failed (2 failures) in 35.1 sec",
        "0:00:06 load avg: 0.1 [3/4/1] test_c -- test_b skipped (resource denied)",
        "0:00:40 load avg: 0.1 [4/4/1] test_d -- test_c passed in 34.0 sec",
        "test_d failed (1 error)",
    ]);
    assert_eq!(s.mode, Some(RunMode::Sequential));
    assert_eq!(s.seed, Some(123));
    assert_eq!(s.order, strings(&["test_a", "test_b", "test_c", "test_d"]));
    assert_eq!(s.failed, strings(&["test_a", "test_d"]));
    assert_eq!(s.resource_denied, ["test_b"]);
    assert_eq!(s.last_running, None, "the bare line ends test_d");
    let s = lines(&[
        "0:00:00 load avg: 0.1 Run 479 tests sequentially in a single process (timeout: 20 min)",
        "0:00:00 load avg: 0.1 [  1/479] test_a",
        "0:00:01 load avg: 0.1 [  2/479] test_b",
        "test_x (test.test_b.T.test_x) ... Timeout (0:20:00)!",
        "Thread 0x0001 (most recent call first):",
    ]);
    assert_eq!(
        (s.timeouts.clone(), s.timeout),
        (strings(&["test_b"]), Some(1200))
    );
    assert_eq!(s.last_running.as_deref(), Some("test_b"));
}

#[test]
fn crashes_by_signal_ntstatus_and_fatal_error() {
    let s = lines(&[
        "0:11:25 load avg: 11.30 [289/467/1] test_source_encoding worker non-zero exit code (Exit code 3221225477 (STATUS_ACCESS_VIOLATION))",
        "Windows fatal exception: access violation",
        "0:11:26 load avg: 11.30 [290/467/2] test_x process crashed (Exit code 3221226505)",
        "0:11:27 load avg: 11.30 [291/467/3] test_y worker non-zero exit code (Exit code -11 (SIGSEGV)) -- running (1): test_z (1 min)",
    ]);
    assert_eq!(
        s.crashes,
        [
            (
                "test_source_encoding".to_string(),
                "Exit code 3221225477 (STATUS_ACCESS_VIOLATION)".to_string()
            ),
            (
                "test_x".to_string(),
                "Exit code 3221226505 (STATUS_STACK_BUFFER_OVERRUN)".to_string()
            ),
            ("test_y".to_string(), "Exit code -11 (SIGSEGV)".to_string()),
        ]
    );
    assert_eq!(
        s.fatal_errors,
        ["Windows fatal exception: access violation"]
    );
    assert_eq!(
        s.last_running.as_deref(),
        Some("test_y"),
        "its crash is the last event"
    );
    // A sequential run dies with its process.
    let s = lines(&[
        "0:00:00 load avg: 0.1 Run 2 tests sequentially",
        "0:00:00 load avg: 0.1 [1/2] test_capi",
        "python: Objects/object.c:1: _Py_Dealloc: Assertion `x' failed.",
        "Fatal Python error: _Py_CheckRecursiveCall: Aborted",
    ]);
    assert_eq!(
        s.crashes,
        [(
            "test_capi".to_string(),
            "Fatal Python error: _Py_CheckRecursiveCall: Aborted".to_string()
        )]
    );
}

#[test]
fn the_test_still_running_comes_from_heartbeats_lists_and_kill_lines() {
    // A heartbeat cut short names a test of the previous one.
    let s = lines(&[
        "3:34:43 load avg: 0.04 running (2): test_a (3 hour 12 min), test_b (40.0 sec)",
        "3:35:13 load avg: 0.04 running: test.test_c",
    ]);
    // No progress line said test_a ended: a list cut short keeps it.
    assert_eq!(s.last_running.as_deref(), Some("test_a"));
    let s = lines(&[
        "3:34:43 load avg: 0.04 running (2): test_a (3 hour 12 min), test_b (40.0 sec)",
        "3:35:13 load avg: 0.04 running (2): test_",
    ]);
    assert_eq!(
        s.last_running.as_deref(),
        Some("test_a"),
        "the longest running"
    );
    // 3.8-3.11 wording, and a worker killed by the main process.
    let s = lines(&[
        "0:30:00 load avg: 1.0 [100/400] test_a passed -- running: test_b (4 min 1 sec), test_c (30.2 sec)",
        "Kill <TestWorkerProcess #3 running test=test_d pid=42 time=1 sec> process group",
    ]);
    assert_eq!(s.last_running.as_deref(), Some("test_d"));
    // A result line: the run is over.
    let s = lines(&[
        "0:30:00 load avg: 1.0 running (1): test_a (30.0 sec)",
        "== Tests result: SUCCESS ==",
    ]);
    assert_eq!(s.last_running, None);
}

#[test]
fn summaries_without_blank_lines_and_of_every_version() {
    // 3.13+: `(env changed)` in the block title, `Result:` at the end.
    let s = lines(&[
        "== Tests result: FAILURE then FAILURE ==",
        "10 slowest tests:",
        "- test_a: 3 min 18 sec",
        "2 tests skipped (resource denied):",
        "    test_x test_y",
        "1 test altered the execution environment (env changed):",
        "    test_e",
        "2 re-run tests:",
        "    test_f test_g",
        "1 test failed:",
        "    test_f",
        "Total duration: 6 min 22 sec",
        "Result: FAILURE then FAILURE",
    ]);
    assert!(!s.rebuilt_from_events);
    assert_eq!(s.resource_denied, strings(&["test_x", "test_y"]));
    assert!(s.skipped.is_empty(), "resource denied is its own block");
    assert_eq!(s.env_changed, ["test_e"]);
    assert_eq!(
        (s.failed.clone(), s.passed_on_rerun.clone()),
        (strings(&["test_f"]), strings(&["test_g"]))
    );
    // The footer alone (3.8-3.12) after a cut summary: the result, lists from the lines.
    let s = lines(&["0:00:01 [1/1/1] test_a failed", "Tests result: FAILURE"]);
    assert_eq!(
        (s.result.as_deref(), s.failed.clone()),
        (Some("FAILURE"), strings(&["test_a"]))
    );
    assert!(s.rebuilt_from_events);
}

#[test]
fn a_summary_printed_before_the_reruns_is_the_base_of_a_cut_log() {
    let s = lines(&[
        "== Tests result: FAILURE ==",
        "",
        "3 tests failed:",
        "    test_a test_b test_c",
        "",
        "0:10:00 load avg: 1.0 Re-running 3 failed tests in verbose mode in subprocesses",
        "0:10:01 load avg: 1.0 [1/3] test_a passed",
        "0:10:02 load avg: 1.0 [2/3/1] test_b failed (1 failure)",
    ]);
    assert!(s.rebuilt_from_events);
    assert_eq!(s.result.as_deref(), Some("FAILURE"));
    assert_eq!(
        s.failed,
        strings(&["test_b", "test_c"]),
        "test_c not re-run yet"
    );
    assert_eq!(s.passed_on_rerun, ["test_a"]);
    assert_eq!(s.rerun, strings(&["test_a", "test_b"]));
}

#[test]
fn sequential_reruns_of_3_8_to_3_11() {
    let s = lines(&[
        "0:05:00 load avg: 1.0 [400/400/1] test_a failed",
        "0:05:01 load avg: 1.0 Re-running failed tests in verbose mode",
        "0:05:01 load avg: 1.0 Re-running test_a in verbose mode (matching: test_x)",
        "test_x (test.test_a.T.test_x) ... ",
    ]);
    assert_eq!(s.rerun, ["test_a"]);
    assert_eq!(
        s.last_running.as_deref(),
        Some("test_a"),
        "it runs in the main process"
    );
    assert_eq!(s.failed, ["test_a"], "not re-run to the end yet");
}

#[test]
fn command_forms_and_the_mode_they_imply() {
    let s = lines(&[
        "./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40",
        "+ ./python -u -W default -bb -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --dont-add-python-opts",
        "Using random seed: 1",
    ]);
    assert_eq!(
        s.command.as_deref(),
        Some("./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40")
    );
    assert_eq!(
        s.mode,
        Some(RunMode::Parallel { workers: 40 }),
        "from -j40, no Run line read"
    );
    let s = lines(&[r"Tools\buildbot\test.bat -j2 --timeout=900"]);
    assert_eq!(
        s.command.as_deref(),
        Some(r"Tools\buildbot\test.bat -j2 --timeout=900")
    );
    assert_eq!(s.mode, None, "the batch file adds its own options");
}

#[test]
fn infrastructure_in_words() {
    let s = lines(&[
        "0:10:00 load avg: 1.0 [10/400] test_a passed",
        "",
        "command timed out: 1200 seconds without output running [b'make', b'buildbottest'], attempting to kill",
        "process killed by signal 9",
        "program finished with exit code -1",
    ]);
    assert_eq!(
        s.infrastructure,
        [
            "Buildbot killed the step: command timed out: 1200 seconds without output",
            "Buildbot killed the step: process killed by signal 9",
        ]
    );
    let s = lines(&[
        "note: Run script build phase 'Prepare Python Binary Modules' will be run during every build",
        "Found more than one new device: {'5CAA0336', 'DD108383'}",
        "make: *** [testios] Error 1",
    ]);
    assert_eq!(s.infrastructure.len(), 2, "{:?}", s.infrastructure);
    assert!(
        s.infrastructure[0].contains("simulator or emulator"),
        "{:?}",
        s.infrastructure
    );
    assert_eq!(
        s.infrastructure[1],
        "the test runner failed before any test ran (make: *** [testios] Error 1)"
    );
    let s = lines(&[
        "Waiting for managed device - this may take several minutes",
        "Traceback (most recent call last):",
        "TimeoutError: emulator did not boot",
        "program finished with exit code 1",
    ]);
    assert_eq!(
        s.infrastructure,
        ["the test runner failed before any test ran (program finished with exit code 1)"]
    );
    // A test run that failed is not a runner that failed.
    let s = lines(&[
        "0:00:01 [1/1/1] test_a failed",
        "make: *** [buildbottest] Error 2",
    ]);
    assert!(s.infrastructure.is_empty(), "{:?}", s.infrastructure);
}

#[test]
fn a_page_boundary_changes_nothing() {
    let log = std::fs::read_to_string(format!(
        "{}/tests/fixtures/logs/fail.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let whole = parse_stdio_chunks([log
        .lines()
        .map(|l| format!("o{l}\n"))
        .collect::<String>()
        .as_str()]);
    let mut p = Parser::default();
    for line in log.lines() {
        feed_stdio_chunk(&mut p, &format!("o{line}\n"));
    }
    let paged = p.finish();
    assert_eq!(whole, paged);
    let mut p = Parser::default();
    for line in log.lines() {
        p.line(line.as_bytes());
    }
    assert_eq!(p.finish().failed, whole.failed);
}

#[test]
fn a_tail_window_without_the_rerun_line_keeps_the_main_runs_mode() {
    let mut p = Parser::default();
    // The head window.
    feed_stdio_chunk(
        &mut p,
        "oUsing random seed: 5\no0:00:00 load avg: 1.0 Run 475 tests in parallel using 40 worker processes\n\
         o0:00:01 load avg: 1.0 [  1/475] test_a passed\n",
    );
    // The tail window: the re-run phase's own Run line, its `Re-running` line not read.
    feed_stdio_chunk(
        &mut p,
        "o0:09:01 load avg: 1.0 Run 1 test in parallel using 1 worker process\n\
         o0:09:02 load avg: 1.0 [1/1] test_x passed\n",
    );
    let s = p.finish();
    assert_eq!(s.mode, Some(RunMode::Parallel { workers: 40 }));
    assert_eq!(
        (s.rerun.clone(), s.passed_on_rerun.clone()),
        (strings(&["test_x"]), strings(&["test_x"]))
    );
    assert_eq!(s.order, ["test_a"]);
}

#[test]
fn interrupted_worker_bug_and_old_wordings() {
    let s = lines(&[
        "0:00:00 load avg: 0.1 Run tests in parallel using 2 child processes",
        "0:00:01 load avg: 0.1 [1/3] test_a worker bug (Failed to parse worker process JSON: x)",
        "0:00:02 load avg: 0.1 [2/3/1] test_b interrupted",
        "Test suite interrupted by signal SIGINT.",
    ]);
    assert_eq!(s.mode, Some(RunMode::Parallel { workers: 2 }));
    assert_eq!(s.failed, ["test_a"]);
    assert_eq!(s.last_running.as_deref(), Some("test_b"));
    // 3.8's sequential run: `test test_x failed -- …` where the test ran; `NO TEST RUN`.
    let s = lines(&[
        "Run tests sequentially",
        "0:00:00 load avg: 0.1 [1/1] test_x",
        "test test_x failed -- multiple errors occurred; run in verbose mode for details",
        "",
        "== Tests result: FAILURE ==",
        "",
        "1 test failed:",
        "    test_x",
        "",
        "Total duration: 1 sec",
        "Tests result: FAILURE",
    ]);
    assert_eq!(
        (s.failed.clone(), s.rebuilt_from_events),
        (strings(&["test_x"]), false)
    );
    let s = lines(&["0:00:00 [1/1] test_x", "test test_x failed"]);
    assert_eq!(s.failed, ["test_x"], "from the line where it ran");
    let s = lines(&["Tests result: NO TEST RUN"]);
    assert_eq!(s.result.as_deref(), Some("NO TEST RUN"));
}

#[test]
fn module_qualified_exceptions_are_relevant_lines() {
    let s = parse(
        b"0:00:01 load avg: 1.0 [ 1/9/1] test_ssl failed (1 error)\n\
          ssl.SSLError: [SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert (_ssl.c:2655)\n\
          concurrent.futures.process.BrokenProcessPool: A child process terminated\n\
          some prose with Error: in it\n\
          error: not an exception\n",
    );
    assert_eq!(
        s.excerpts,
        ["ssl.SSLError: [SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert (_ssl.c:2655)"]
    );
}
