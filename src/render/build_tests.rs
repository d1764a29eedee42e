//! Unit tests of `build.rs` (kept apart: they are as long as the code).

use crate::api::ServerUrl;
use crate::api::types::{Build, Builder, Log, Step};
use crate::model::regrtest::{Leak, LogSummary, RunMode};
use crate::render::{Format, Glyphs, Settings, write};
use crate::report::build::{BuildInput, BuildReport, FailedStepInput, TestLogInput};
use crate::report::header::ReportOrigin;

fn step(number: u32, name: &str, results: Option<i64>, took: i64) -> Step {
    Step {
        stepid: 100 + u64::from(number),
        number,
        name: name.into(),
        results,
        complete: results.is_some(),
        started_at: Some(1_795_318_631),
        complete_at: results.map(|_| 1_795_318_631 + took),
        state_string: match results {
            Some(2) => format!("{name} (failure)"),
            _ => name.to_string(),
        },
        hidden: false,
    }
}

fn builder() -> Builder {
    Builder {
        builderid: 14,
        name: "AMD64 Fedora Stable LTO + PGO 3.x".into(),
        masterids: vec![1],
        tags: vec!["3.x".into()],
    }
}

fn build() -> Build {
    let mut b = Build::for_test(124, 14, 4, Some(2));
    b.started_at = Some(1_795_318_631);
    b.complete_at = Some(1_795_318_639);
    b.state_string = "failed test (failure)".into();
    b.properties.insert(
        "got_revision".into(),
        serde_json::json!(["8a163284d6c0ffee", "Git"]),
    );
    b
}

fn steps() -> Vec<Step> {
    let mut hidden = step(6, "set_props", Some(0), 0);
    hidden.hidden = true;
    vec![
        step(0, "git", Some(0), 1),
        step(1, "compile", Some(0), 150),
        step(2, "test", Some(2), 7300),
        hidden,
        step(7, "clean", Some(0), 0),
    ]
}

fn stdio(num_lines: u64) -> Log {
    Log {
        logid: 9,
        name: "stdio".into(),
        slug: "stdio".into(),
        num_lines,
        kind: "s".into(),
        complete: true,
    }
}

fn summary() -> LogSummary {
    LogSummary {
        command: Some("python -m test -j1 --randseed=1004".into()),
        seed: Some(1004),
        platform: vec!["CPython 3.14.0".into(), "Linux-6.18".into(), "x".into()],
        mode: Some(RunMode::Parallel { workers: 1 }),
        result: Some("FAILURE then FAILURE".into()),
        failed: vec!["test_bbr_broken".into()],
        leaks: vec![Leak {
            test: "test_leak".into(),
            kind: "references".into(),
            counts: vec![1, 1, 1],
        }],
        crashes: vec![("test_crash".into(), "Exit code -11 (SIGSEGV)".into())],
        skipped: vec!["test_a".into(), "test_b".into()],
        excerpts: vec![
            "FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)".into(),
            "AssertionError: 0.99 != 1.0".into(),
        ],
        lines: 127,
        ..LogSummary::default()
    }
}

/// The build above with its test log: `windows` read of `log`, parsed into `summary`.
fn report(
    log: Option<&Log>,
    windows: &[(u64, u64)],
    summary: Option<&LogSummary>,
    test_step: bool,
) -> BuildReport {
    let (builder, build, steps) = (builder(), build(), steps());
    let server = ServerUrl::parse("http://127.0.0.1:8010/").expect("url");
    let input = BuildInput {
        builder: &builder,
        build: &build,
        steps: &steps,
        test_log: test_step.then_some(TestLogInput {
            step: "test",
            log,
            windows,
            bytes: if log.is_some() { 5734 } else { 0 },
            summary,
            search: None,
        }),
        failed_step: None,
        stale: None,
    };
    BuildReport::new(input, &ReportOrigin::for_test(&server))
}

/// A compile failure: no test step; the compile step's stdio log ends with `lines`, the
/// last of its `num_lines` (`None`: the step has no stdio log).
fn compile_failure(num_lines: Option<u64>, lines: &[&str]) -> BuildReport {
    let (builder, mut build) = (builder(), build());
    build.state_string = "failed compile (failure)".into();
    let steps = vec![step(0, "git", Some(0), 1), step(1, "compile", Some(2), 30)];
    let log = num_lines.map(stdio);
    let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let window = num_lines.map(|n| {
        let read = (lines.len() as u64).min(n);
        (n - read, read)
    });
    let server = ServerUrl::parse("http://127.0.0.1:8010/").expect("url");
    let input = BuildInput {
        builder: &builder,
        build: &build,
        steps: &steps,
        test_log: None,
        failed_step: Some(FailedStepInput {
            step: &steps[1],
            log: log.as_ref(),
            window: window.filter(|w| w.1 > 0),
            bytes: lines.iter().map(|l| l.len() + 2).sum(),
            lines: &lines,
        }),
        stale: None,
    };
    BuildReport::new(input, &ReportOrigin::for_test(&server))
}

const COMPILE_TAIL: [&str; 3] = [
    "Objects/longobject.c:1234:5: error: \u{1b}[31m'digit' undeclared\u{1b}[0m",
    "make: *** [Makefile:3051: Objects/longobject.o] Error 1",
    "program finished with exit code 2",
];

#[test]
fn a_compile_failure_shows_the_end_of_the_failed_step_log() {
    let r = compile_failure(Some(120), &COMPILE_TAIL);
    assert_eq!(
        render(&r, Format::Plain, false),
        "\
AMD64 Fedora Stable LTO + PGO 3.x #4: failure (failed compile)
  revision 8a163284d6  started 2026-11-22 03:37 UTC  took 8s
  http://127.0.0.1:8010/#/builders/14/builds/4

Steps
  ✔  0 git           1s
  ✘  1 compile      30s  compile (failure)

Failed step (compile › stdio): last 3 of 120 lines (0.2 KiB)
  Objects/longobject.c:1234:5: error: 'digit' undeclared
  make: *** [Makefile:3051: Objects/longobject.o] Error 1
  program finished with exit code 2

No test step: nothing to triage (the steps above say what failed).
"
    );
    let md = render(&r, Format::Markdown, false);
    assert!(
        md.contains(
            "\n\nFailed step (compile › stdio): last 3 of 120 lines (0.2 KiB)\n\n```\n\
                 Objects/longobject.c:1234:5: error: 'digit' undeclared\n\
                 make: *** [Makefile:3051: Objects/longobject.o] Error 1\n\
                 program finished with exit code 2\n```\n\nNo test step"
        ),
        "{md}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, false)).expect("json");
    assert_eq!(
        v["failed_step"],
        serde_json::json!({
            "number": 1, "step": "compile", "log": "stdio", "num_lines": 120,
            "windows": [{"offset": 117, "limit": 3}], "bytes_read": 157,
            "tail": COMPILE_TAIL,
        })
    );
}

#[test]
fn log_lines_lose_whole_escape_sequences() {
    for (raw, shown) in [
        ("\u{1b}[01;31m\u{1b}[Kerror:\u{1b}[m\u{1b}[K x", "error: x"),
        ("a\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{7}b", "alinkb"),
        ("clear\u{1b}[2J\u{1b}c\u{9b}31m\u{202E}!\u{1b}", "clear31m!"),
        ("plain\ttext", "plain text"),
    ] {
        assert_eq!(super::log_line(raw), shown, "{raw:?}");
    }
}

#[test]
fn a_failed_step_without_log_or_lines_says_so() {
    let out = render(&compile_failure(None, &[]), Format::Plain, true);
    assert!(
        out.contains("\nFailed step (compile): it has no stdio log.\n\nNo test step"),
        "{out}"
    );
    let out = render(&compile_failure(Some(0), &[]), Format::Plain, true);
    assert!(
        out.contains("\nFailed step (compile > stdio): the log is empty.\n\nNo test step"),
        "{out}"
    );
    let out = render(
        &compile_failure(Some(2), &COMPILE_TAIL[1..]),
        Format::Plain,
        true,
    );
    assert!(
        out.contains("\nFailed step (compile > stdio): all 2 lines (0.1 KiB)\n  make: "),
        "{out}"
    );
    let md = render(&compile_failure(Some(0), &[]), Format::Markdown, false);
    assert!(!md.contains("```"), "no empty block: {md}");
}

fn render(r: &BuildReport, format: Format, ascii: bool) -> String {
    let settings = Settings {
        glyphs: Glyphs { ascii },
        ..Settings::plain()
    };
    let mut out = Vec::new();
    write(r, format, &mut out, &settings).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn text_shows_steps_and_the_parsed_test_log() {
    let (log, summary) = (stdio(127), summary());
    let r = report(Some(&log), &[(0, 127)], Some(&summary), true);
    assert_eq!(
        render(&r, Format::Plain, false),
        "\
AMD64 Fedora Stable LTO + PGO 3.x #4: failure (failed test)
  revision 8a163284d6  started 2026-11-22 03:37 UTC  took 8s
  http://127.0.0.1:8010/#/builders/14/builds/4

Steps
  ✔  0 git             1s
  ✔  1 compile         2m
  ✘  2 test         2h01m  test (failure)
  ✔  7 clean           0s

Test log (test › stdio): 127 lines, read all (5.6 KiB)
  Result:    FAILURE then FAILURE
  Failed:    test_bbr_broken
  Crashed:   test_crash (Exit code -11 (SIGSEGV))
  Leaks:     test_leak (references, sum=3)
  Seed:      1004
  Workers:   1
  Skipped:   2 tests
  Command:   python -m test -j1 --randseed=1004
  Platform:  CPython 3.14.0; Linux-6.18

Relevant lines
  FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)
  AssertionError: 0.99 != 1.0
"
    );
}

#[test]
fn text_says_what_was_read_and_what_is_missing() {
    let (log, summary) = (stdio(100_000), summary());
    let r = report(Some(&log), &[(0, 100), (99_600, 400)], Some(&summary), true);
    let out = render(&r, Format::Plain, true);
    assert!(
            out.contains(
                "Test log (test > stdio): 100000 lines, read 500 in 1-100 and 99601-100000 (5.6 KiB; --full-log for all)\n"
            ),
            "{out}"
        );
    assert!(out.contains("\n  #  2 test "), "{out}");
    assert!(out.is_ascii(), "--ascii is pure ASCII: {out}");
    let r = report(None, &[], None, true);
    assert!(render(&r, Format::Plain, false).ends_with("\nThe test step has no stdio log.\n"));
    let r = report(None, &[], None, false);
    assert!(
        render(&r, Format::Plain, false)
            .ends_with("\nNo test step: nothing to triage (the steps above say what failed).\n")
    );
    // The janitor deleted it: said plainly, not "the run did not finish".
    let mut gone = stdio(4_321);
    gone.kind = "d".into();
    let r = report(Some(&gone), &[], None, true);
    let out = render(&r, Format::Plain, false);
    assert!(
        out.ends_with(
            "\nThe test step's stdio log (4321 lines) was deleted by the server (Buildbot's \
                 janitor keeps logs for a limited time): the build's own summary above is all \
                 that is left.\n"
        ),
        "{out}"
    );
    assert!(!out.contains("did not finish"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, false)).expect("json");
    assert_eq!(v["test_log"]["deleted"], serde_json::Value::Bool(true));
}

#[test]
fn markdown_carries_what_the_text_does() {
    let (log, summary) = (stdio(127), summary());
    let r = report(Some(&log), &[(0, 127)], Some(&summary), true);
    assert_eq!(
            render(&r, Format::Markdown, false),
            "\
### [AMD64 Fedora Stable LTO + PGO 3.x #4](http://127.0.0.1:8010/#/builders/14/builds/4): failure (failed test)

revision 8a163284d6  started 2026-11-22 03:37 UTC  took 8s

| | # | Step | Took | |
|---|---|---|---|---|
| ✔ | 0 | git | 1s | git |
| ✔ | 1 | compile | 2m | compile |
| ✘ | 2 | test | 2h01m | test (failure) |
| ✔ | 7 | clean | 0s | clean |

Test log (test › stdio): 127 lines, read all (5.6 KiB)

- **Result:** FAILURE then FAILURE
- **Failed:** test\\_bbr\\_broken
- **Crashed:** test\\_crash (Exit code -11 (SIGSEGV))
- **Leaks:** test\\_leak (references, sum=3)
- **Seed:** 1004
- **Workers:** 1
- **Skipped:** 2 tests
- **Command:** python -m test -j1 --randseed=1004
- **Platform:** CPython 3.14.0; Linux-6.18

Relevant lines:

```
FAIL: test_regression (test_bbr_broken.BrokenTests.test_regression)
AssertionError: 0.99 != 1.0
```
"
        );
    let ascii = render(&r, Format::Markdown, true);
    assert!(ascii.is_ascii(), "{ascii}");
    let r = report(None, &[], None, false);
    assert!(
        render(&r, Format::Markdown, false)
            .ends_with("\n\nNo test step: nothing to triage (the steps above say what failed).\n")
    );
    let html = render(&r, Format::Html, false);
    assert!(html.contains("No test step: nothing to triage"), "{html}");
}

#[test]
fn json_names_every_field_and_resolves_links() {
    let (log, summary) = (stdio(100_000), summary());
    let r = report(Some(&log), &[(0, 100), (99_600, 400)], Some(&summary), true);
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, false)).expect("json");
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keys(&v),
        [
            "builder",
            "builder_url",
            "builderid",
            "buildid",
            "complete_at",
            "failed_step",
            "generated_at",
            "kind",
            "number",
            "recorded_at",
            "result",
            "revision",
            "running",
            "schema_version",
            "server",
            "source",
            "stale",
            "started_at",
            "state_string",
            "steps",
            "test_log",
            "url"
        ]
    );
    assert_eq!(
        (&v["kind"], &v["result"], &v["revision"]),
        (
            &"build".into(),
            &"failure".into(),
            &"8a163284d6c0ffee".into()
        )
    );
    assert_eq!(v["url"], "http://127.0.0.1:8010/#/builders/14/builds/4");
    assert_eq!(v["builder_url"], "http://127.0.0.1:8010/#/builders/14");
    assert_eq!(
        v["steps"][3],
        serde_json::json!({
            "number": 6, "name": "set_props", "result": "success", "running": false,
            "hidden": true, "state_string": "set_props",
            "started_at": 1_795_318_631, "complete_at": 1_795_318_631
        })
    );
    let t = &v["test_log"];
    assert_eq!(
        keys(t),
        [
            "bytes_read",
            "deleted",
            "log",
            "num_lines",
            "search",
            "step",
            "summary",
            "windows"
        ]
    );
    assert_eq!(
        t["windows"],
        serde_json::json!([{"offset": 0, "limit": 100}, {"offset": 99_600, "limit": 400}])
    );
    assert_eq!(
        keys(&t["summary"]),
        [
            "command",
            "crashes",
            "env_changed",
            "excerpts",
            "failed",
            "fatal_errors",
            "infrastructure",
            "last_test",
            "leaks",
            "lines",
            "mode",
            "order",
            "passed_on_rerun",
            "platform",
            "rebuilt_from_events",
            "refleak",
            "rerun",
            "resource_denied",
            "result",
            "seed",
            "skipped",
            "timeout",
            "timeouts",
            "workers"
        ]
    );
    assert_eq!(
        t["summary"]["crashes"],
        serde_json::json!([{"test": "test_crash", "how": "Exit code -11 (SIGSEGV)"}])
    );
    assert_eq!(
        t["summary"]["leaks"],
        serde_json::json!([{"test": "test_leak", "what": "references, sum=3",
                                "kind": "references", "counts": [1, 1, 1]}])
    );
}

#[test]
fn a_search_of_the_middle_says_what_it_found_and_what_it_did_not() {
    let (log, summary) = (stdio(100_000), summary());
    let windows = [
        (0, 100),
        (24_875, 200),
        (31_000, 1_600),
        (77_700, 900),
        (99_600, 400),
    ];
    let mut r = report(Some(&log), &windows, Some(&summary), true);
    let t = r.test_log.as_mut().expect("test log");
    t.search = Some(crate::report::build::SearchEntry {
        counted: 3,
        unlocated: 0,
        requests: 14,
        bytes: 831_795,
        rounds: 5,
        budget_spent: false,
    });
    let out = render(&r, Format::Plain, true);
    assert!(
        out.contains("100000 lines, read 3200 in 1-100, 99601-100000 and 3 windows between"),
        "{out}"
    );
    assert!(
        out.contains(
            "the progress counters count 3 failed or env-changed tests, all found in the middle \
             of the log (14 more requests in 5 rounds, 812.3 KiB)."
        ),
        "{out}"
    );
    let t = r.test_log.as_mut().expect("test log");
    t.search = Some(crate::report::build::SearchEntry {
        counted: 40,
        unlocated: 7,
        requests: 32,
        bytes: 1_000_000,
        rounds: 9,
        budget_spent: true,
    });
    for format in [Format::Plain, Format::Markdown] {
        let out = render(&r, format, true);
        assert!(
            out.contains(
                "count 40 failed or env-changed tests, 7 of them in lines not read, the search's \
                 budget spent (32 more requests in 9 rounds, 976.6 KiB): --full-log reads every line."
            ),
            "{out}"
        );
    }
}
