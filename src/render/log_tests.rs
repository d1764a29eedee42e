//! Unit tests of `log.rs`.

use crate::model::log_file::parse_file;
use crate::render::{Format, Settings, to_string};
use crate::report::log::{LogInput, LogReport};

const FAILED: &str = "\
== CPython 3.14.0a6+ (heads/main:26511993e63, Mar 15 2025, 00:00:15) [GCC 10.5.0]
./python -m test -j4 --randseed=7
Using random seed: 7
0:00:00 Run 3 tests in parallel using 4 worker processes
0:00:01 [1/3] test_a passed
0:00:02 [2/3/1] test_b failed (1 failure)
FAIL: test_x (test.test_b.T.test_x)
AssertionError: 1 != 2
";

fn report(log: &str, file: &str) -> LogReport {
    let s = parse_file(log.as_bytes());
    LogReport::new(LogInput {
        file,
        bytes: log.len() as u64,
        summary: &s,
        now: 1_795_400_000,
        out: None,
    })
}

#[test]
fn a_cut_log_with_a_failure_gives_triage_then_commands() {
    let r = report(FAILED, "run.log");
    let text = to_string(&r, Format::Plain, &Settings::plain());
    for expected in [
        "The log has no complete final summary",
        "Log run.log: 8 lines (",
        "  Failed:",
        "test_b",
        "  Revision:",
        "26511993e63",
        "Relevant lines\n  FAIL: test_x (test.test_b.T.test_x)",
        "Reproduce: test_b failed",
        "  git checkout 26511993e63",
        "  ./python -m test -j4 --randseed=7",
        "python -m test.bisect_cmd",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    let md = to_string(&r, Format::Markdown, &Settings::plain());
    assert!(md.contains("### Log run.log: 8 lines"), "{md}");
    assert!(md.contains("#### Reproduce: test\\_b failed"), "{md}");
    assert!(md.contains("```sh\ngit checkout 26511993e63\n```"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&to_string(&r, Format::Json, &Settings::plain())).expect("json");
    assert_eq!(json["kind"], "log");
    assert_eq!(json["summary"]["failed"], serde_json::json!(["test_b"]));
    assert_eq!(json["summary"]["rebuilt_from_events"], true);
    assert_eq!(json["repro"]["target"], "test_b");
    assert_eq!(json["repro"]["mode"]["kind"], "parallel");
    assert_eq!(json["nothing_to_reproduce"], serde_json::Value::Null);
    assert_eq!(
        crate::render::keys(&json),
        [
            "bytes_read",
            "checkout",
            "file",
            "generated_at",
            "kind",
            "nothing_to_reproduce",
            "repro",
            "revision",
            "schema_version",
            "summary"
        ]
    );
}

#[test]
fn a_passing_run_says_there_is_nothing_to_reproduce() {
    let passed = "Run 1 test sequentially\n0:00:01 [1/1] test_a passed\n\n== Tests result: SUCCESS ==\n\n1 test OK.\n\nTotal duration: 1 sec\nResult: SUCCESS\n";
    let r = report(passed, "-");
    let text = to_string(&r, Format::Plain, &Settings::plain());
    assert!(text.starts_with("Log from standard input: "), "{text}");
    assert!(
        text.contains("Nothing to reproduce: no test failed, timed out or crashed."),
        "{text}"
    );
    assert!(!text.contains("final summary"), "{text}");
    assert!(!text.contains("git checkout"), "{text}");
}

#[test]
fn a_file_name_cannot_drive_the_terminal_or_the_markdown() {
    let r = report(FAILED, "evil\u{1b}[2J|*x*.log");
    let text = to_string(&r, Format::Plain, &Settings::plain());
    assert!(!text.contains('\u{1b}'), "{text}");
    let md = to_string(&r, Format::Markdown, &Settings::plain());
    assert!(md.contains("evil\\|\\*x\\*.log"), "{md}");
}
