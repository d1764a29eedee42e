//! Unit tests of `model::repro` (the plan of how to reproduce a run's failure).

use super::*;

fn summary(order: &[&str], failed: &[&str], mode: Option<RunMode>) -> LogSummary {
    LogSummary {
        order: order.iter().map(|s| s.to_string()).collect(),
        failed: failed.iter().map(|s| s.to_string()).collect(),
        mode,
        seed: Some(42),
        command: Some(
            "/usr/bin/python3.14 -W default -m test --slow-ci -j1 test_a --dont-add-python-opts"
                .into(),
        ),
        ..LogSummary::default()
    }
}

#[test]
fn sequential_run_keeps_the_order_before_the_failure() {
    let p = plan(&summary(
        &["t1", "t2", "t3", "t4", "t5", "t6"],
        &["t5"],
        Some(RunMode::Sequential),
    ))
    .expect("plan");
    assert_eq!(p.target, "t5");
    assert_eq!(
        p.mode,
        ReproMode::Sequential {
            before: vec!["t1".into(), "t2".into(), "t3".into(), "t4".into()],
            halves: (
                vec!["t1".into(), "t2".into()],
                vec!["t3".into(), "t4".into()]
            ),
            worker_processes: false,
        }
    );
    assert_eq!(
        p.command.as_deref(),
        Some("./python -W default -m test --slow-ci -j1 test_a --randseed=42")
    );
    assert_eq!(p.origin, CommandOrigin::Log);
    assert_eq!(p.kept, ["-u all", "--timeout=1200"]);
}

#[test]
fn one_worker_process_keeps_the_order_many_do_not() {
    let p = plan(&summary(
        &["t1", "t2"],
        &["t2"],
        Some(RunMode::Parallel { workers: 1 }),
    ))
    .expect("plan");
    assert!(
        matches!(
            p.mode,
            ReproMode::Sequential {
                worker_processes: true,
                ..
            }
        ),
        "{:?}",
        p.mode
    );
    let p = plan(&summary(
        &["t1", "t2"],
        &["t2"],
        Some(RunMode::Parallel { workers: 40 }),
    ))
    .expect("plan");
    assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
    let p = plan(&summary(
        &["t1", "t2"],
        &["t2"],
        Some(RunMode::Parallel { workers: 0 }),
    ))
    .expect("plan");
    assert_eq!(p.mode, ReproMode::Parallel { workers: 0 });
}

#[test]
fn no_failure_no_plan_and_unknown_order() {
    assert!(plan(&summary(&["t1"], &[], None)).is_none());
    let p = plan(&summary(&["t1"], &["t9"], Some(RunMode::Sequential))).expect("plan");
    assert_eq!(p.mode, ReproMode::OrderUnknown);
    let p = plan(&summary(&["t1"], &["t1"], None)).expect("plan");
    assert_eq!(p.mode, ReproMode::OrderUnknown);
}

#[test]
fn an_existing_seed_is_kept_and_an_ordered_run_is_not_shuffled() {
    assert_eq!(
        local_command("python -m test --randseed=7", Some(9)),
        "./python -m test --randseed=7"
    );
    // Not randomized but -j8: the order does not carry over, the seed still seeds `random`.
    let mut s = summary(&[], &["test_x"], Some(RunMode::Parallel { workers: 8 }));
    s.command = Some("python3.13 -m test test_asyncio -wW -j8".into());
    let p = plan(&s).expect("plan");
    assert_eq!(
        (p.command.as_deref(), p.randomized),
        (
            Some("./python -m test test_asyncio -wW -j8 --randseed=42"),
            Some(false)
        )
    );
    // -R 3:3 test_os test_pickle without -r: --randseed would shuffle the two.
    let mut s = summary(&["test_os"], &["test_os"], Some(RunMode::Sequential));
    s.command = Some("./python.exe -m test -R 3:3 test_os test_pickle".into());
    let p = plan(&s).expect("plan");
    assert_eq!(
        p.command.as_deref(),
        Some("./python.exe -m test -R 3:3 test_os test_pickle")
    );
    assert_eq!(
        (p.randomized, p.kept.clone()),
        (Some(false), vec!["-R 3:3".to_string()])
    );
}

/// Issue 14: a log in the devguide's current shape got no seeded command, 1 worker (from
/// the re-run phase) and a 471-test sequential replay.
#[test]
fn a_log_in_the_devguide_shape_gets_the_seeded_command_and_bisect_cmd() {
    let log = [
        "./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40",
        "+ ./python -u -W default -bb -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --dont-add-python-opts",
        "== CPython 3.15.0a0",
        "Using random seed: 2615519036",
        "0:00:00 load avg: 1.80 Run 475 tests in parallel using 40 worker processes (timeout: 20 min, worker timeout: 25 min)",
        "0:00:03 load avg: 1.80 [  1/475] test_a passed",
        "0:01:07 load avg: 3.10 [  2/475/1] test_x failed (1 failure)",
        "0:09:00 load avg: 1.00 [475/475/1] test_z passed",
        "== Tests result: FAILURE ==",
        "1 test failed:",
        "    test_x",
        "0:09:01 load avg: 1.00 Re-running 1 failed tests in verbose mode in subprocesses",
        "0:09:01 load avg: 1.00 Run 1 test in parallel using 1 worker processes (timeout: 20 min, worker timeout: 25 min)",
        "0:09:02 load avg: 1.00 [1/1/1] test_x failed (1 failure)",
        "1 test failed again:",
        "    test_x",
    ]
    .join("\n");
    let s = crate::model::regrtest::parse(log.as_bytes());
    assert_eq!(s.mode, Some(RunMode::Parallel { workers: 40 }));
    let p = plan(&s).expect("plan");
    assert_eq!(
        p.command.as_deref(),
        Some(
            "./python -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --randseed=2615519036"
        )
    );
    assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
    assert_eq!(p.kept, ["-u all,-curses", "--timeout=1200"]);
}

#[test]
fn the_devguide_shape_keeps_its_options() {
    let mut s = summary(&[], &["test_x"], Some(RunMode::Parallel { workers: 40 }));
    s.command = Some("./python -E  -m test --slow-ci --timeout=1200 -j2 -u-curses -j40".into());
    s.seed = Some(1234);
    let p = plan(&s).expect("plan");
    assert_eq!(
        p.command.as_deref(),
        Some("./python -E -m test --slow-ci --timeout=1200 -j2 -u-curses -j40 --randseed=1234")
    );
    assert_eq!(p.kept, ["-u all,-curses", "--timeout=1200"]);
    assert_eq!(p.mode, ReproMode::Parallel { workers: 40 });
}

#[test]
fn without_a_command_the_seeded_command_is_rebuilt_and_says_what_is_guessed() {
    let s = LogSummary {
        seed: Some(886729535),
        mode: Some(RunMode::Parallel { workers: 4 }),
        timeout: Some(1200),
        refleak: Some(crate::model::regrtest::Refleak {
            repetitions: 6,
            warmups: None,
        }),
        platform: vec!["resources: all".into()],
        crashes: vec![("test_x".into(), "Exit code -11 (SIGSEGV)".into())],
        ..LogSummary::default()
    };
    let p = plan(&s).expect("plan");
    assert_eq!(
        p.command.as_deref(),
        Some("./python -m test -j4 -R 3:3 -u all --timeout=1200 --randseed=886729535")
    );
    assert_eq!(p.origin, CommandOrigin::Rebuilt);
    let options: Vec<&str> = p.guessed.iter().map(|g| g.option.as_str()).collect();
    assert_eq!(options, ["-j4", "-R 3:3", "-u all", "--timeout=1200", "-r"]);
    assert_eq!(p.kept, ["-R 3:3", "-u all", "--timeout=1200"]);
    let p = plan(&LogSummary {
        failed: vec!["test_x".into()],
        ..LogSummary::default()
    })
    .expect("plan");
    assert_eq!((p.command, p.origin), (None, CommandOrigin::Unknown));
}

#[test]
fn only_an_order_that_carries_over_is_written_to_files() {
    let p = plan(&summary(
        &["t1", "t2", "t3", "t4"],
        &["t4"],
        Some(RunMode::Sequential),
    ))
    .expect("plan");
    let files = p.replay_files();
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, [ORDER_FILE, FIRST_HALF_FILE, SECOND_HALF_FILE]);
    assert_eq!(files[0].1, ["t1", "t2", "t3", "t4"]);
    assert_eq!(files[1].1, ["t1", "t4"]);
    assert_eq!(files[2].1, ["t2", "t3", "t4"]);
    // One test before the target: nothing to halve.
    let p = plan(&summary(&["t1", "t2"], &["t2"], Some(RunMode::Sequential))).expect("plan");
    assert_eq!(
        p.replay_files(),
        [(ORDER_FILE, vec!["t1".to_string(), "t2".into()])]
    );
    let p = plan(&summary(
        &["t1", "t2"],
        &["t2"],
        Some(RunMode::Parallel { workers: 4 }),
    ))
    .expect("plan");
    assert!(p.replay_files().is_empty());
}

#[test]
fn windows_commands_stay_windows_commands() {
    assert_eq!(
        local_command(r"Tools\buildbot\test.bat -j2 --slow-ci", Some(5)),
        r"Tools\buildbot\test.bat -j2 --slow-ci --randseed=5"
    );
    assert_eq!(
        local_command(
            r#""C:\b\3.x\build\PCbuild\amd64\python_d.exe"  -u -Wd -E -bb -m test -j1 -rwW"#,
            Some(5)
        ),
        r"PCbuild\amd64\python_d.exe -u -Wd -E -bb -m test -j1 -rwW --randseed=5"
    );
}
