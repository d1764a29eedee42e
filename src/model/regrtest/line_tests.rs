//! Unit tests of `line.rs` (kept apart: they are as long as the code).

use super::*;

#[test]
fn find_by_a_rare_byte() {
    assert_eq!(find_by(b"a -- b -- running", b" -- running", 1), Some(6));
    assert_eq!(find_by(b"load avg: 1", b": ", 0), Some(8));
    assert_eq!(find_by(b"x(", b" (", 1), None);
    assert_eq!(find_by(b"", b": ", 0), None);
}

#[test]
fn wrappers_of_ci_systems_are_dropped() {
    assert_eq!(strip_wrapper(b"[15008s] 0:54:56 x"), b"0:54:56 x");
    assert_eq!(strip_wrapper(b"[  12s] x"), b"x");
    assert_eq!(strip_wrapper(b"[15009s]"), b"");
    assert_eq!(
        strip_wrapper(b"2023-08-24T12:00:00.1234567Z 0:00:01 [1/2] test_x passed"),
        b"0:00:01 [1/2] test_x passed"
    );
    assert_eq!(
        strip_wrapper(b"2023-08-24T12:00:00.1234567Z [15008s] 0:54:56 x"),
        b"0:54:56 x"
    );
    // regrtest's own counter is no wrapper.
    assert_eq!(strip_wrapper(b"[ 1/44] test_array"), b"[ 1/44] test_array");
    let mut out = Vec::new();
    strip_ansi(b"\x1b[31mtest_x failed\x1b[0m", &mut out);
    assert_eq!(out, b"test_x failed");
}

#[test]
fn the_log_prefix_of_every_version() {
    assert_eq!(
        log_body(b"0:40:31 load avg: 3.05 [337/467/1] test_socket"),
        Some(&b"[337/467/1] test_socket"[..])
    );
    assert_eq!(
        log_body(b"0:33:02 Re-running x"),
        Some(&b"Re-running x"[..])
    );
    assert_eq!(
        log_body(b"3:37:11 load avg: 0.03 mem: 1.2 GiB [463/1] test_x"),
        Some(&b"[463/1] test_x"[..])
    );
    assert_eq!(
        log_body(b"0:00:01 running: test_a (30.0 sec)"),
        Some(&b"running: test_a (30.0 sec)"[..])
    );
    assert_eq!(log_body(b"10 slowest tests:"), None);
    assert_eq!(log_body(b"1 test failed:"), None);
}

#[test]
fn counters_with_and_without_total_or_failures() {
    let c = |b: &[u8]| counter(b).map(|r| r.map(|(c, rest)| (c, rest.to_vec())));
    assert_eq!(
        c(b"[ 51/405/1] test_tcl passed"),
        Some(Ok((
            Counter {
                index: 51,
                second: Some(405),
                third: Some(1)
            },
            b"test_tcl passed".to_vec()
        )))
    );
    assert!(matches!(
        c(b"[463/1] x"),
        Some(Ok((
            Counter {
                index: 463,
                second: Some(1),
                third: None
            },
            _
        )))
    ));
    assert!(matches!(
        c(b"[12] x"),
        Some(Ok((
            Counter {
                index: 12,
                second: None,
                third: None
            },
            _
        )))
    ));
    assert_eq!(c(b"[19/"), Some(Err(())));
    assert_eq!(c(b"[Errno 28] x"), None);
}

#[test]
fn outcomes_in_every_wording() {
    let o = |s: &str| outcome(s.as_bytes());
    assert_eq!(o("passed (3 min 3 sec)"), Some(Outcome::Passed));
    assert_eq!(o("failed (1 error, 2 failures)"), Some(Outcome::Failed));
    assert_eq!(o("failed (uncaught exception)"), Some(Outcome::Failed));
    assert_eq!(o("failed (reference leak)"), Some(Outcome::Failed));
    assert_eq!(
        o("failed (env changed) (1 min 22 sec)"),
        Some(Outcome::EnvChanged)
    );
    assert_eq!(
        o("skipped (resource denied)"),
        Some(Outcome::ResourceDenied)
    );
    assert_eq!(o("timed out (20 min)"), Some(Outcome::TimedOut));
    assert_eq!(o("run no tests"), Some(Outcome::NoTests));
    assert_eq!(
        o("crashed (Exit code -11)"),
        Some(Outcome::Crashed("Exit code -11 (SIGSEGV)".into()))
    );
    assert_eq!(
        o("process crashed (Exit code 3)"),
        Some(Outcome::Crashed("Exit code 3".into()))
    );
    assert_eq!(
        o("worker non-zero exit code (Exit code 3221225477 (STATUS_ACCESS_VIOLATION))"),
        Some(Outcome::Crashed(
            "Exit code 3221225477 (STATUS_ACCESS_VIOLATION)".into()
        ))
    );
    assert_eq!(
        o("worker non-zero exit code (Exit code 3221226505)"),
        Some(Outcome::Crashed(
            "Exit code 3221226505 (STATUS_STACK_BUFFER_OVERRUN)".into()
        ))
    );
    assert_eq!(
        o("worker non-zero exit code (Exit code 139)"),
        Some(Outcome::Crashed("Exit code 139 (SIGSEGV)".into()))
    );
    assert_eq!(o("fa"), None);
}

#[test]
fn sequential_lines_name_the_previous_test() {
    let p = progress(b"test_b -- test_a failed (1 failure) in 35.1 sec").expect("progress");
    assert_eq!((p.test, p.outcome.clone()), (&b"test_b"[..], None));
    assert_eq!(p.previous, Some((&b"test_a"[..], Outcome::Failed)));
    let p = progress(
        b"test_x worker non-zero exit code (Exit code 1) -- running (1): test_math (1 min 4 sec)",
    )
    .expect("progress");
    assert_eq!(p.outcome, Some(Outcome::Crashed("Exit code 1".into())));
    assert_eq!(
        running_list(p.running.expect("running")),
        [(&b"test_math"[..], Some(64_000))]
    );
}

#[test]
fn running_lists_durations_and_kill_lines() {
    assert_eq!(
        running_list(
            b"running (3): test_a (5 min 2 sec), test_venv (1 min 23 sec), test.test_multipr"
        ),
        [
            (&b"test_a"[..], Some(302_000)),
            (&b"test_venv"[..], Some(83_000)),
            (&b"test.test_multipr"[..], None)
        ]
    );
    assert_eq!(duration_ms(b"3 hour 12 min"), Some(11_520_000));
    assert_eq!(duration_ms(b"39.0 sec"), Some(39_000));
    assert_eq!(duration_ms(b"167 ms"), Some(167));
    assert_eq!(
        worker_test(b"Kill <WorkerThread #2 running test=test.test_x pid=1364 time=1.1 sec>"),
        Some(&b"test.test_x"[..])
    );
    assert_eq!(
        verbose_test(
            b"test_fork_at_exit (test.test_threading.ThreadTests.test_fork_at_exit) ... ok"
        )
        .as_deref(),
        Some("test_threading")
    );
    assert_eq!(
        verbose_test(b"test_x (test.test_os.test_os.TimerfdTests.test_x) ... FAIL").as_deref(),
        Some("test.test_os.test_os")
    );
}
