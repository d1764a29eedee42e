//! `bbreport log FILE` end to end: every real regrtest case read back from the binary's JSON
//! and judged as the parser is (the reading and comparison are `regrtest_cases.rs`'s), from a
//! file, from standard input, behind GitHub Actions' timestamps, in the middle of a long run;
//! and the inputs that are no log, each with its one-line error and exit code.

use std::path::Path;

use serde::Deserialize;

use crate::common::regrtest_cases::{Reported, case_names, cases_dir, judge, load_case};
use crate::common::*;

/// `kind: "log"`, read back as a consumer would (README documents it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogJson {
    schema_version: u32,
    kind: String,
    generated_at: i64,
    file: String,
    bytes_read: u64,
    revision: Option<String>,
    checkout: Option<String>,
    summary: SummaryJson,
    repro: Option<serde_json::Value>,
    nothing_to_reproduce: Option<String>,
}

/// `build`'s test log `summary`, the same struct.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct SummaryJson {
    result: Option<String>,
    rebuilt_from_events: bool,
    failed: Vec<String>,
    passed_on_rerun: Vec<String>,
    rerun: Vec<String>,
    timeouts: Vec<String>,
    crashes: Vec<CrashJson>,
    fatal_errors: Vec<String>,
    leaks: Vec<LeakJson>,
    env_changed: Vec<String>,
    infrastructure: Vec<String>,
    last_test: Option<String>,
    skipped: Vec<String>,
    resource_denied: Vec<String>,
    seed: Option<u64>,
    mode: Option<String>,
    workers: Option<u32>,
    timeout: Option<u64>,
    refleak: Option<serde_json::Value>,
    command: Option<String>,
    platform: Vec<String>,
    order: Vec<String>,
    excerpts: Vec<String>,
    lines: u64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct CrashJson {
    test: String,
    how: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct LeakJson {
    test: String,
    what: String,
    kind: String,
    counts: Vec<i64>,
}

impl SummaryJson {
    fn reported(&self) -> Reported {
        Reported {
            seed: self.seed,
            result: self.result.clone(),
            failed: self.failed.clone(),
            rerun: self.rerun.clone(),
            passed_on_rerun: self.passed_on_rerun.clone(),
            env_changed: self.env_changed.clone(),
            timeouts: self.timeouts.clone(),
            crashed: self.crashes.iter().map(|c| c.test.clone()).collect(),
            leaks: self
                .leaks
                .iter()
                .map(|l| (l.test.clone(), l.kind.clone(), l.counts.clone()))
                .collect(),
            infrastructure: self.infrastructure.clone(),
            last_running: self.last_test.clone(),
            rebuilt_from_events: self.rebuilt_from_events,
        }
    }
}

fn case_log(name: &str) -> std::path::PathBuf {
    cases_dir().join(format!("{name}.log"))
}

/// `bbreport log ARGS… --format json` with `stdin`, in the hermetic environment; the JSON
/// read back, and stderr.
fn log_json(args: &[&str], stdin: Option<&[u8]>) -> (LogJson, String) {
    let o = run_log(args, stdin);
    assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
    let json = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    (json, stderr(&o))
}

fn run_log(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    let env = TestEnv::new();
    let mut cmd = env.command();
    // No server and no snapshot is set up: neither an unreachable server nor a missing
    // snapshot in the environment can matter.
    cmd.env("BBREPORT_SERVER", "http://127.0.0.1:9/")
        .env("BBREPORT_SNAPSHOT", env.path().join("no-such-snapshot"))
        .args(["log", "--format", "json"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("run bbreport");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        input.write_all(bytes).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("bbreport ends")
}

#[test]
fn every_real_log_file_reads_as_a_core_developer_reads_it() {
    let mut wrong = Vec::new();
    let (mut right_total, mut total) = (0, 0);
    for name in case_names() {
        let path = case_log(&name);
        let path = path.to_str().expect("utf-8 path");
        let (json, err) = log_json(&[path], None);
        assert_eq!(
            (json.schema_version, json.kind.as_str(), json.file.as_str()),
            (1, "log", path)
        );
        assert_eq!(json.generated_at, NOW.parse::<i64>().expect("NOW"));
        assert_eq!(
            json.bytes_read,
            std::fs::metadata(path).expect("case").len()
        );
        // JSON carries the note as a field; stderr says it to a person.
        assert_eq!(
            err.contains("no complete final summary"),
            json.summary.rebuilt_from_events,
            "{name}: {err}"
        );
        // Either the commands or why there are none.
        assert_ne!(
            json.repro.is_some(),
            json.nothing_to_reproduce.is_some(),
            "{name}"
        );
        let v = judge(&name, &load_case(&name).expected, &json.summary.reported());
        wrong.extend(v.wrong.into_iter().map(|w| format!("bbreport log: {w}")));
        right_total += v.right;
        total += v.total;
    }
    println!("bbreport log: {right_total}/{total} fields right");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The repro part is `repro`'s plan of the same log: a seeded -j8 command and bisect_cmd.
#[test]
fn a_failed_parallel_run_gets_repro_commands() {
    let path = case_log("16-local-313-asyncio-package-subtests-counter");
    let (json, _) = log_json(&[path.to_str().expect("utf-8")], None);
    let repro = json.repro.expect("a failing test");
    assert_eq!(repro["target"], "test_asyncio.test_server");
    assert_eq!(
        repro["command"],
        "./python -m test test_asyncio -wW -j8 --randseed=1988926982"
    );
    assert_eq!(repro["mode"]["kind"], "parallel");
    assert_eq!(repro["mode"]["workers"], 8);
    assert!(
        repro["mode"]["bisect"]
            .as_str()
            .is_some_and(|b| b.contains("-m test.bisect_cmd")),
        "{repro}"
    );
    // The header of case 14 names its commit; 16 has none.
    assert_eq!((json.revision, json.checkout), (None, None));
    let (json, _) = log_json(
        &[case_log("14-android-testbed-seed-nonascii-cwd-logcat")
            .to_str()
            .expect("utf-8")],
        None,
    );
    assert_eq!(json.revision.as_deref(), Some("c9033813271"));
    assert_eq!(json.checkout.as_deref(), Some("git checkout c9033813271"));
}

#[test]
fn standard_input_reads_as_the_file_does() {
    let name = "08-gha-win-threading-rerun-crash-interleaved-kill";
    let path = case_log(name);
    let bytes = std::fs::read(&path).expect("case");
    let (from_file, _) = log_json(&[path.to_str().expect("utf-8")], None);
    let (from_stdin, _) = log_json(&["-"], Some(&bytes));
    assert_eq!(from_stdin.file, "-");
    assert_eq!(from_stdin.bytes_read, bytes.len() as u64);
    assert_eq!(from_stdin.summary, from_file.summary);
    assert_eq!(from_stdin.repro, from_file.repro);
}

/// A GitHub Actions job log: a byte order mark, then every line behind a timestamp.
#[test]
fn github_actions_timestamps_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in case_names() {
        let plain = std::fs::read(case_log(&name)).expect("case");
        let mut stamped = b"\xef\xbb\xbf".to_vec();
        for line in plain.split_inclusive(|b| *b == b'\n') {
            stamped.extend_from_slice(b"2024-05-01T12:00:00.1234567Z ");
            stamped.extend_from_slice(line);
        }
        let copy = dir.path().join(format!("{name}.txt"));
        std::fs::write(&copy, &stamped).expect("write");
        let (a, _) = log_json(&[case_log(&name).to_str().expect("utf-8")], None);
        let (b, _) = log_json(&[copy.to_str().expect("utf-8")], None);
        assert_eq!(b.summary, a.summary, "{name}");
        assert_eq!(b.repro, a.repro, "{name}");
    }
}

/// The failure `build` misses by default (it reads a head and a tail): in the middle of a long
/// sequential run with no final summary, the whole file is read.
#[test]
fn a_failure_in_the_middle_of_a_long_log_is_found() {
    let mut log = String::from("0:00:00 Run 5000 tests sequentially\n");
    for i in 1..=3000 {
        log.push_str(&format!("0:00:{:02} [{i:4}/5000] test_pass_{i}\n", i % 60));
    }
    log.push_str("0:50:00 [3001/5000] test_middle\ntest_x (test.test_middle.T.test_x) ... FAIL\n");
    log.push_str("0:50:01 [3002/5000/1] test_middle failed (1 failure)\n");
    for i in 3003..=3600 {
        log.push_str(&format!(
            "0:51:{:02} [{i:4}/5000/1] test_pass_{i}\n",
            i % 60
        ));
    }
    log.push_str(
        "command timed out: 1200 seconds without output running [b'make'], attempting to kill\n",
    );
    let (json, err) = log_json(&["-"], Some(log.as_bytes()));
    assert_eq!(json.summary.failed, ["test_middle"]);
    assert!(json.summary.rebuilt_from_events);
    assert!(err.contains("no complete final summary"), "{err}");
    assert!(
        json.summary
            .infrastructure
            .iter()
            .any(|i| i.contains("command timed out")),
        "{:?}",
        json.summary.infrastructure
    );
    let repro = json.repro.expect("repro");
    assert_eq!(repro["mode"]["kind"], "sequential");
    assert_eq!(repro["mode"]["before"].as_array().map(Vec::len), Some(3000));
}

/// Every format prints the triage then the commands; the text names the rebuilt lists.
#[test]
fn every_format_prints_the_report() {
    let path = case_log("16-local-313-asyncio-package-subtests-counter");
    let path = path.to_str().expect("utf-8");
    for (format, expected) in [
        ("plain", "Reproduce: test_asyncio.test_server failed"),
        ("table", "Reproduce: test_asyncio.test_server failed"),
        (
            "markdown",
            "#### Reproduce: test\\_asyncio.test\\_server failed",
        ),
        ("html", "Reproduce: test_asyncio.test_server failed"),
    ] {
        let o = bbreport(&["log", path, "--format", format]);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains(expected), "{format}:\n{out}");
        assert!(
            out.contains("no complete final summary"),
            "{format}:\n{out}"
        );
        assert!(out.contains("1988926982"), "{format}:\n{out}");
    }
}

/// One error line and a hint on stderr, nothing on stdout, and the documented exit code.
fn fails(args: &[&str], stdin: Option<&[u8]>, exit: i32, error: &str) {
    let o = run_log(args, stdin);
    let err = stderr(&o);
    assert_eq!(code(&o), exit, "{args:?}: {err}");
    assert_eq!(stdout(&o), "", "{args:?}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{args:?}: {err}");
    assert!(
        lines[0].starts_with("bbreport: error: ") && lines[0].contains(error),
        "{args:?}: {err}"
    );
    assert!(lines[1].starts_with("hint: "), "{args:?}: {err}");
}

#[test]
fn what_is_no_log_is_said_in_one_line_with_its_exit_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_string();
    let missing = at("missing.log");
    fails(&[&missing], None, 9, "cannot read log file");
    fails(&[&missing], None, 9, "no such file");
    fails(&[&at("")], None, 9, "it is a directory");
    std::fs::write(at("empty.log"), b"").expect("write");
    fails(&[&at("empty.log")], None, 2, "is empty");
    fails(&["-"], Some(b""), 2, "standard input is empty");
    // Binary garbage: every byte value, no regrtest line.
    let garbage: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    std::fs::write(at("garbage.bin"), &garbage).expect("write");
    fails(&[&at("garbage.bin")], None, 2, "holds no regrtest output");
    // (A `make: *** … Error 1` line would be named: a test runner that failed before any test
    // ran.)
    std::fs::write(
        at("compile.log"),
        b"gcc -c Objects/longobject.c\nObjects/longobject.c:12:1: error: expected ';'\n",
    )
    .expect("write");
    fails(
        &[&at("compile.log")],
        None,
        2,
        "holds no regrtest output (2 lines",
    );
    // A compressed download is named as such, not read as garbage.
    std::fs::write(at("log.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]).expect("write");
    fails(&[&at("log.gz")], None, 9, "gzip-compressed");
    fails(&["-"], Some(b"PK\x03\x04zip"), 9, "a zip archive");
    // Permission: only when the file really cannot be read (root reads it anyway).
    let locked = at("locked.log");
    std::fs::write(&locked, "Run 1 test sequentially\n").expect("write");
    set_mode(Path::new(&locked), 0o000);
    if std::fs::read(&locked).is_err() {
        fails(&[&locked], None, 9, "permission denied");
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[test]
fn summary_options_do_not_apply() {
    let path = case_log("12-refleaks-importlib-fd-leak-failed-again");
    let o = bbreport(&["-q", "log", path.to_str().expect("utf-8")]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    // Without it, the report: case 12's leak as regrtest counted it.
    let o = bbreport(&["log", path.to_str().expect("utf-8"), "--format", "plain"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Leaks:   test_importlib (file descriptors, sum=3)"),
        "{}",
        stdout(&o)
    );
}

/// Options about the server cannot matter to a local file: given to `log`, they are refused
/// rather than ignored (an environment variable is not an option given, and is ignored).
#[test]
fn server_options_given_to_log_are_a_usage_error() {
    let case = case_log("16-local-313-asyncio-package-subtests-counter");
    let path = case.to_str().expect("utf-8");
    for flags in [
        &["--server", "http://127.0.0.1:9/"][..],
        &["--snapshot", "/nonexistent"],
        &["--offline"],
        &["--no-cache"],
        &["--timeout", "5"],
        &["--url"],
        &["--stats"],
    ] {
        let mut args = flags.to_vec();
        args.extend(["log", path]);
        let o = bbreport(&args);
        assert_eq!(code(&o), 2, "{flags:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("{} does not apply to `bbreport log`", flags[0]))
                && err.contains("hint: drop"),
            "{err}"
        );
        assert_eq!(stdout(&o), "");
    }
}

/// A device is no log: `/dev/zero` would never end. Exit 9 with a hint, at once.
#[test]
#[cfg(unix)]
fn a_device_is_refused() {
    let o = bbreport(&["log", "/dev/zero"]);
    assert_eq!(code(&o), 9, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot read log file /dev/zero: it is a device, not a file"),
        "{}",
        stderr(&o)
    );
}
