//! `repro --out DIR` (issue 14): a sequential run's order can be thousands of test names. The
//! terminal gets at most 40 of them; `--out DIR` writes the order and its bisect halves as
//! `--fromfile` lists and the report prints the commands that read them. A DIR that cannot be
//! written is exit code 9, before anything is fetched; nothing to reproduce stays exit 8.
//!
//! Histories come from the fake master (`common::fake_master`).

use std::path::Path;

use crate::common::fake_master::{Build, Builder, Steps, serve_master};
use crate::common::*;

const BUILDER: &str = "AMD64 Sequential 3.x";

/// A sequential regrtest run (the shape of 3.13's `Run N tests sequentially`): `before` tests
/// pass, then test_bbr_order fails, then the summary.
fn sequential_log(before: usize) -> String {
    let total = before + 1;
    let mut lines = vec![
        "+ /usr/bin/python3 -W default -bb -E -m test -r -u all --timeout=1200 --dont-add-python-opts"
            .to_string(),
        "== CPython 3.13.1 (main, Dec 4 2024, 08:54:15) [GCC 13.3.0]".into(),
        "Using random seed: 2024".into(),
        format!("0:00:00 load avg: 0.10 Run {total} tests sequentially (timeout: 20 min)"),
    ];
    for i in 1..=before {
        lines.push(format!(
            "0:00:{:02} load avg: 0.10 [{i:3}/{total}] test_seq_{i:04}",
            i % 60
        ));
    }
    lines.extend([
        format!("0:01:00 load avg: 0.10 [{total}/{total}] test_bbr_order"),
        "test test_bbr_order failed -- Traceback (most recent call last):".into(),
        "AssertionError: state left behind by an earlier test".into(),
        String::new(),
        "== Tests result: FAILURE ==".into(),
        String::new(),
        format!("{before} tests OK."),
        String::new(),
        "1 test failed:".into(),
        "    test_bbr_order".into(),
        String::new(),
        "Total duration: 1 min".into(),
        format!("Total tests: run={total} failures=1"),
        format!("Total test files: run={total}/{total} failed=1"),
        "Result: FAILURE".into(),
    ]);
    lines.join("\n") + "\n"
}

/// Builder 1: #1 passed, #2 failed test_bbr_order after `before` tests ran sequentially.
fn master(before: usize) -> String {
    serve_master(
        vec![Builder::new(1, BUILDER)],
        vec![Build::pass(1, 1), Build::fail(1, 2, sequential_log(before))],
    )
}

fn repro(url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--server", url, "repro", BUILDER];
    args.extend_from_slice(extra);
    bbreport(&args)
}

#[test]
fn a_long_order_is_not_printed_on_the_terminal() {
    let url = master(480);
    let o = repro(&url, &["2"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("The tests ran sequentially; 480 ran before test_bbr_order in this order."),
        "{out}"
    );
    assert!(
        out.contains(
            "(the order and its bisect halves are not printed: 480 test names, more than 40; \
             write them to files with: bbreport repro 'AMD64 Sequential 3.x' 2 --out DIR)"
        ),
        "{out}"
    );
    assert!(!out.contains("test_seq_0001"), "{out}");
    assert!(
        out.lines().count() < 25,
        "{} lines:\n{out}",
        out.lines().count()
    );
}

#[test]
fn out_writes_the_order_and_its_halves_and_prints_commands_that_read_them() {
    let url = master(480);
    let tmp = tempfile::tempdir().expect("tempdir");
    // A directory that does not exist yet, two levels down.
    let dir = tmp.path().join("repro").join("b2");
    let o = repro(&url, &["2", "--out", &dir.to_string_lossy()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let order = read("tests-order.txt");
    let lines: Vec<&str> = order.lines().collect();
    assert_eq!(lines.len(), 481);
    assert_eq!(lines[0], "test_seq_0001");
    assert_eq!(lines[479], "test_seq_0480");
    assert_eq!(lines[480], "test_bbr_order");
    let half1 = read("bisect-half1.txt");
    let half2 = read("bisect-half2.txt");
    assert_eq!(half1.lines().count(), 241, "240 tests then the target");
    assert_eq!(half2.lines().count(), 241);
    assert!(
        half1.starts_with("test_seq_0001\n") && half1.ends_with("test_seq_0240\ntest_bbr_order\n")
    );
    assert!(
        half2.starts_with("test_seq_0241\n") && half2.ends_with("test_seq_0480\ntest_bbr_order\n")
    );

    let out = stdout(&o);
    let d = dir.to_string_lossy();
    for file in ["tests-order.txt", "bisect-half1.txt", "bisect-half2.txt"] {
        let command =
            format!("  ./python -m test -u all --timeout=1200 --fromfile {d}/{file} -v\n");
        assert!(out.contains(&command), "{command:?} missing:\n{out}");
    }
    assert!(!out.contains("test_seq_0001"), "{out}");
    assert!(!out.contains("<<'EOF'"), "{out}");
    assert!(
        stderr(&o).contains(&format!(
            "wrote tests-order.txt, bisect-half1.txt, bisect-half2.txt into {d}"
        )),
        "{}",
        stderr(&o)
    );

    // The JSON names the files, absolute, and keeps the lists.
    let o = bbreport(&[
        "--server", &url, "--format", "json", "repro", BUILDER, "2", "--out", &d,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let r = parse_repro(&o);
    let files = r.mode.files.as_ref().expect("files");
    assert_eq!(files.order, format!("{d}/tests-order.txt"));
    assert_eq!(files.first_half, Some(format!("{d}/bisect-half1.txt")));
    assert_eq!(files.second_half, Some(format!("{d}/bisect-half2.txt")));
    assert!(Path::new(&files.dir).is_absolute());
    assert_eq!(r.mode.before.as_ref().map(Vec::len), Some(480));
}

#[test]
fn a_relative_out_is_made_absolute_for_regrtest() {
    let url = master(3);
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut cmd = TestEnv::new().command();
    let o = cmd
        .current_dir(tmp.path())
        .args(["--server", &url, "repro", BUILDER, "2", "--out", "orders"])
        .output()
        .expect("run");
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let abs = tmp.path().join("orders").join("tests-order.txt");
    assert!(abs.is_file());
    assert!(
        stdout(&o).contains(&format!("--fromfile {} -v", abs.display())),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_unwritable_out_is_exit_9_before_anything_is_fetched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "").expect("write");
    let inside = file.join("orders");
    // A server that refuses connections: the error must come first.
    let o = bbreport(&[
        "--server",
        "http://127.0.0.1:9/",
        "repro",
        BUILDER,
        "2",
        "--out",
        &inside.to_string_lossy(),
    ]);
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with(&format!(
            "bbreport: error: cannot write the test order into {} (--out): ",
            inside.display()
        )),
        "{err}"
    );
    assert!(
        lines[1].starts_with("hint: give --out a directory you can write to"),
        "{err}"
    );
}

#[test]
fn nothing_to_reproduce_with_out_is_still_exit_8_and_writes_nothing() {
    let url = master(3);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("orders");
    let o = repro(&url, &["1", "--out", &dir.to_string_lossy()]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(!dir.join("tests-order.txt").exists());
}

#[test]
fn a_parallel_run_writes_no_order_and_says_why() {
    let log = crate::common::fake_master::log("fail.txt")
        .replace(" -j1 ", " -j4 ")
        .replace(
            "in parallel using 1 worker process",
            "in parallel using 4 worker processes",
        );
    let url = serve_master(
        vec![Builder::new(1, BUILDER)],
        vec![Build {
            builderid: 1,
            number: 2,
            results: 2,
            state_string: "failed test (failure)".into(),
            steps: Steps::Test(2, log),
            running_on: None,
        }],
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().to_string_lossy().into_owned();
    let o = repro(&url, &["2", "--out", &d]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nothing written, the order of this run does not carry over"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("4 worker processes"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(&format!("-m test.bisect_cmd -o {d}/bisect.txt")),
        "{}",
        stdout(&o)
    );
    assert!(!tmp.path().join("tests-order.txt").exists());
}

/// A build Buildbot killed while a test hung names no failing test: nothing to reproduce (exit
/// 8, not a usage error), and stderr says what the log does show.
#[test]
fn a_killed_build_is_nothing_to_reproduce_and_says_what_the_log_shows() {
    let pass = crate::common::fake_master::log("pass.txt");
    let head: Vec<&str> = pass.lines().take(12).collect();
    let killed = format!(
        "{}\n0:00:00 load avg: 0.56 [1/2] test_bbr_io passed\n\
         0:00:30 load avg: 0.56 running (1): test_bbr_hang (30.0 sec)\n\n\
         command timed out: 1200 seconds without output running [b'make', b'buildbottest'], attempting to kill\n\
         process killed by signal 9\nprogram finished with exit code -1\n",
        head.join("\n")
    );
    let url = serve_master(
        vec![Builder::new(1, BUILDER)],
        vec![Build {
            builderid: 1,
            number: 2,
            results: 2,
            state_string: "failed test (failure)".into(),
            steps: Steps::Test(2, killed),
            running_on: None,
        }],
    );
    let o = repro(&url, &["2"]);
    assert_eq!(code(&o), 8, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(
        err.contains("AMD64 Sequential 3.x #2 (failed test)"),
        "{err}"
    );
    assert!(
        err.contains("Buildbot killed the step: command timed out: 1200 seconds without output"),
        "{err}"
    );
    assert!(err.contains("test_bbr_hang was still running"), "{err}");
}
