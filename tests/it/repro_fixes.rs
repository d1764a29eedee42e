//! Defects a tester found in `repro` and `log`: refleak runs kept their `-R`, a reported leak is
//! a test to reproduce, `--out DIR` checked for every run mode before anything is fetched or
//! read, a killed run's other failures and hung test named, hints that lead somewhere, and
//! `log --out DIR`.
//!
//! Histories come from the fake master (`common::fake_master`); real logs from
//! tests/fixtures/regrtest-cases/.

use std::path::{Path, PathBuf};

use crate::common::fake_master::{Build, Builder, log, serve_master};
use crate::common::*;

const BUILDER: &str = "AMD64 Devguide Shape 3.14";

fn case(name: &str) -> String {
    repo()
        .join("tests/fixtures/regrtest-cases")
        .join(format!("{name}.log"))
        .to_string_lossy()
        .into_owned()
}

/// `fail.txt` run in 4 worker processes: the order does not carry over.
fn parallel_log() -> String {
    log("fail.txt").replace(" -j1 ", " -j4 ").replace(
        "in parallel using 1 worker process",
        "in parallel using 4 worker processes",
    )
}

/// A run Buildbot killed: test_bbr_broken failed, test_bbr_crash crashed, test_bbr_hang was
/// still running when the step was killed.
fn killed_log() -> String {
    let head: Vec<String> = log("fail.txt").lines().take(12).map(String::from).collect();
    format!(
        "{}\n0:00:00 load avg: 0.56 Run 5 tests in parallel using 4 worker processes (timeout: 20 min, worker timeout: 25 min)\n\
         0:00:01 load avg: 0.56 [1/5/1] test_bbr_broken failed (1 failure)\n\
         0:00:02 load avg: 0.56 [2/5/2] test_bbr_crash crashed (Exit code -11 (SIGSEGV))\n\
         0:00:03 load avg: 0.56 [3/5/2] test_bbr_io passed\n\
         0:00:33 load avg: 0.56 running (1): test_bbr_hang (30.0 sec)\n\n\
         command timed out: 1200 seconds without output running [b'make', b'buildbottest'], attempting to kill\n\
         process killed by signal 9\nprogram finished with exit code -1\n",
        head.join("\n")
    )
}

fn master(builds: Vec<Build>) -> String {
    serve_master(vec![Builder::new(1, BUILDER)], builds)
}

fn repro(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--server", url, "repro", BUILDER];
    args.extend_from_slice(extra);
    bbreport(&args)
}

/// One error line and one hint line, exit 9, nothing on stdout.
fn assert_exit_9(o: &std::process::Output, first: &str) {
    assert_eq!(code(o), 9, "{}", stderr(o));
    assert_eq!(stdout(o), "");
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].contains(first), "{err}");
    assert!(
        lines[1].starts_with("hint: give --out a directory"),
        "{err}"
    );
}

// 1. Refleak runs.

#[test]
fn a_leak_without_a_command_keeps_r_in_the_command_alone() {
    let o = bbreport(&["log", &case("12-refleaks-importlib-fd-leak-failed-again")]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("  ./python -m test -R 3:3 test_importlib -v\n"),
        "{out}"
    );
    assert!(
        out.contains("(guessed: -R 3:3: the log reports a leak"),
        "{out}"
    );
}

#[test]
fn a_test_listed_only_as_leaking_is_reproduced() {
    let o = bbreport(&["log", &case("11-nogil-refleaks-this-is-fine-and-fd-sum0")]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("Nothing to reproduce"), "{out}");
    assert!(
        out.contains("Reproduce: test_free_threading failed"),
        "{out}"
    );
    assert!(
        out.contains("./python -m test -R 3:3 test_free_threading -v"),
        "{out}"
    );
}

// 2. --out DIR, checked before anything is fetched, for every run mode.

/// A directory nothing can be written into, or `None` when this machine has none (root
/// writes everywhere but in sysfs).
fn unwritable_dir(tmp: &Path) -> Option<PathBuf> {
    let ro = tmp.join("read-only");
    std::fs::create_dir(&ro).expect("io");
    let mut perm = std::fs::metadata(&ro).expect("io").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    std::fs::set_permissions(&ro, perm).expect("io");
    [ro, PathBuf::from("/sys/kernel")]
        .into_iter()
        .find(|d| d.is_dir() && std::fs::write(d.join(".bbreport-probe"), "").is_err())
}

#[test]
fn an_unwritable_out_is_exit_9_for_a_parallel_run_too() {
    let url = master(vec![Build::fail(1, 2, parallel_log())]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(dir) = unwritable_dir(tmp.path()) else {
        eprintln!("skipped: no unwritable directory on this machine");
        return;
    };
    let o = repro(&url, &["2", "--out", &dir.to_string_lossy()]);
    assert_exit_9(
        &o,
        &format!(
            "cannot write the test order into {} (--out): ",
            dir.display()
        ),
    );
    // Under it too, and before the server is asked.
    let under = dir.join("orders");
    let o = bbreport(&[
        "--server",
        "http://127.0.0.1:9/",
        "repro",
        BUILDER,
        "2",
        "--out",
        &under.to_string_lossy(),
    ]);
    assert_exit_9(&o, "(--out): ");
}

#[test]
fn an_out_that_is_a_file_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("afile");
    std::fs::write(&file, "").expect("io");
    let o = bbreport(&[
        "--server",
        "http://127.0.0.1:9/",
        "repro",
        BUILDER,
        "2",
        "--out",
        &file.to_string_lossy(),
    ]);
    assert_exit_9(
        &o,
        &format!("{} is a file, not a directory", file.display()),
    );
    assert!(!stderr(&o).contains("os error 17"), "{}", stderr(&o));
}

#[test]
fn out_is_not_created_before_there_is_something_to_reproduce() {
    let url = master(vec![Build::pass(1, 1)]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("orders");
    let o = repro(&url, &["1", "--out", &dir.to_string_lossy()]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(!dir.exists());
}

// 3. A killed run.

#[test]
fn a_killed_run_names_every_failure_and_the_hung_test() {
    let url = master(vec![Build::fail(1, 2, killed_log())]);
    let o = repro(&url, &["2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Also failed: test_bbr_crash."), "{out}");
    assert!(
        out.contains("-u all --timeout=1200 test_bbr_broken test_bbr_crash -v\n"),
        "{out}"
    );
    assert!(
        out.contains("Still running when the log ends: test_bbr_hang"),
        "{out}"
    );
    let o = bbreport(&["--server", &url, "--format", "json", "repro", BUILDER, "2"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("io");
    assert_eq!(v["target"], "test_bbr_broken");
    assert_eq!(v["also_failed"][0]["test"], "test_bbr_crash");
    assert_eq!(v["last_running"]["test"], "test_bbr_hang");
}

#[test]
fn log_names_the_test_still_running_of_a_killed_run() {
    let o = bbreport(&[
        "log",
        &case("08-gha-win-threading-rerun-crash-interleaved-kill"),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "Still running when the log ends: test.test_concurrent_futures.test_as_completed"
        ),
        "{}",
        stdout(&o)
    );
}

// 4. Hints.

#[test]
fn nothing_to_reproduce_names_the_newest_failed_build() {
    let url = master(vec![Build::fail(1, 1, log("fail.txt")), Build::pass(1, 2)]);
    let o = repro(&url, &["2"]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "hint: the newest build of {BUILDER} with a failing test is #1: bbreport repro '{BUILDER}' 1"
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nothing_to_reproduce_anywhere_sends_to_build() {
    let url = master(vec![Build::pass(1, 1), Build::pass(1, 2)]);
    let o = repro(&url, &["2"]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "hint: see what the build did with: bbreport build '{BUILDER}' 2"
        )),
        "{err}"
    );
    assert!(
        !err.contains(&format!("bbreport repro '{BUILDER}'\n")),
        "{err}"
    );
}

#[test]
fn no_such_build_has_a_hint_as_build_does() {
    let url = master(vec![Build::pass(1, 1)]);
    let o = repro(&url, &["99"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "hint: see its builds with: bbreport -v -n '{BUILDER}'"
        )),
        "{}",
        stderr(&o)
    );
}

// 5. log --out DIR.

/// A sequential run of `before` passing tests, then test_bbr_order failing.
fn long_sequential_log(before: usize) -> String {
    let total = before + 1;
    let mut lines = vec![
        "+ /usr/bin/python3 -W default -bb -E -m test -r -u all --timeout=1200 --dont-add-python-opts"
            .to_string(),
        "Using random seed: 2024".into(),
        format!("0:00:00 load avg: 0.10 Run {total} tests sequentially (timeout: 20 min)"),
    ];
    for i in 1..=before {
        lines.push(format!(
            "0:00:01 load avg: 0.10 [{i:3}/{total}] test_seq_{i:04}"
        ));
    }
    lines.extend([
        format!("0:01:00 load avg: 0.10 [{total}/{total}] test_bbr_order"),
        "test test_bbr_order failed".into(),
        "== Tests result: FAILURE ==".into(),
        "1 test failed:".into(),
        "    test_bbr_order".into(),
        "Result: FAILURE".into(),
    ]);
    lines.join("\n") + "\n"
}

#[test]
fn log_hint_for_a_long_order_points_to_its_own_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("run.log");
    std::fs::write(&file, long_sequential_log(60)).expect("io");
    let f = file.to_string_lossy();
    let o = bbreport(&["log", &f]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "write them to files with: bbreport log {f} --out DIR)"
        )),
        "{out}"
    );
    assert!(!out.contains("bbreport repro"), "{out}");

    let dir = tmp.path().join("orders");
    let o = bbreport(&["log", &f, "--out", &dir.to_string_lossy()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let order = std::fs::read_to_string(dir.join("tests-order.txt")).expect("io");
    assert_eq!(order.lines().count(), 61);
    assert!(order.ends_with("test_seq_0060\ntest_bbr_order\n"));
    assert!(dir.join("bisect-half1.txt").is_file());
    assert!(
        stdout(&o).contains(&format!("--fromfile {}/tests-order.txt -v", dir.display())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn log_out_that_is_a_file_is_exit_9_before_reading() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("afile");
    std::fs::write(&file, "").expect("io");
    // The log does not exist either: --out is checked first.
    let o = bbreport(&[
        "log",
        &tmp.path().join("missing.log").to_string_lossy(),
        "--out",
        &file.to_string_lossy(),
    ]);
    assert_exit_9(&o, "is a file, not a directory");
}
