//! Unit tests of `failures.rs` (kept apart: they are as long as the code).

use std::collections::BTreeMap;

use crate::api::ServerUrl;
use crate::api::types::BuilderId;
use crate::model::classify::TagRules;
use crate::model::failures::{
    LogNote, NoFailingTest, NoTestWhy, OutsideTests, ParsedBuild, ReadBuild, TestRow,
    TestStepException, matrix,
};
use crate::model::known_issues::KnownIssues;
use crate::model::regrtest::LogSummary;
use crate::model::select::SelectedBuilder;
use crate::model::status::BuildResult;
use crate::render::{Format, Settings, write};
use crate::report::failures::{FailuresInput, FailuresReport};
use crate::report::header::ReportOrigin;

fn builder(id: u32, name: &str, tags: &[&str]) -> SelectedBuilder {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    SelectedBuilder {
        builderid: id,
        name: name.into(),
        class: TagRules::default().classify(name, &tags),
        tags,
        connected: true,
        paused: false,
        pause_reason: None,
    }
}

fn parsed(builderid: u32, number: u32, failed: &[&str], rerun: &[&str]) -> ParsedBuild {
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    ParsedBuild {
        builderid,
        number,
        summary: LogSummary {
            failed: list(failed),
            passed_on_rerun: list(rerun),
            ..LogSummary::default()
        },
    }
}

struct Sample {
    rows: Vec<TestRow>,
    outside: Vec<OutsideTests>,
    exceptions: Vec<TestStepException>,
    no_failing_test: Vec<NoFailingTest>,
    log_notes: Vec<LogNote>,
}

const EMPTY: Sample = Sample {
    rows: Vec::new(),
    outside: Vec::new(),
    exceptions: Vec::new(),
    no_failing_test: Vec::new(),
    log_notes: Vec::new(),
};

/// test_os on two kinds of builder (a regression), test_ssl timed out once (after a build
/// that did not run the tests), test_flaky passed on re-run and is known; an exception in
/// a test step, a compile failure and an exception outside the tests.
fn sample() -> Sample {
    let builders = [
        builder(1, "AMD64 Ubuntu 3.x", &["3.x", "stable", "tier-1"]),
        builder(2, "ARM64 macOS 3.x", &["3.x", "stable", "tier-2"]),
        builder(3, "AMD64 Refleaks 3.x", &["3.x", "refleak"]),
    ];
    let mut timed_out = parsed(2, 7, &["test_os"], &[]);
    timed_out.summary.timeouts = vec!["test_ssl".into()];
    let parsed = [
        parsed(1, 5, &["test_os"], &[]),
        parsed(1, 4, &["test_os"], &[]),
        timed_out,
        parsed(3, 2, &[], &["test_flaky"]),
    ];
    use BuildResult::{Failure, Success, Warnings};
    let read: BTreeMap<BuilderId, Vec<ReadBuild>> = BTreeMap::from([
        (1, vec![(5, Failure), (4, Failure)]),
        (2, vec![(7, Failure), (6, Failure)]),
        (3, vec![(2, Warnings), (1, Success)]),
    ]);
    let workers: BTreeMap<BuilderId, Vec<String>> = (1..=3)
        .map(|id| (id, vec![format!("worker{id}")]))
        .collect();
    let known =
        KnownIssues::parse("[[rule]]\nissue = \"gh-1\"\ntest = \"test_flaky\"\n").expect("rules");
    let rows = matrix(&builders, &workers, &parsed, &read, &known);
    let outside = vec![
        OutsideTests {
            builderid: 2,
            builder: "ARM64 macOS 3.x".into(),
            number: 6,
            reason: "failed compile".into(),
            step: Some("compile".into()),
        },
        OutsideTests {
            builderid: 3,
            builder: "AMD64 Refleaks 3.x".into(),
            number: 4,
            reason: "exception git".into(),
            step: Some("git".into()),
        },
    ];
    let exceptions = vec![TestStepException {
        builderid: 3,
        builder: "AMD64 Refleaks 3.x".into(),
        number: 3,
        reason: "exception test".into(),
        causes: vec!["No space left on device".into()],
        last_test: Some("test_zipfile".into()),
    }];
    let no_test = |number, why, causes: &[&str], last_test: Option<&str>| NoFailingTest {
        builderid: 1,
        builder: "AMD64 Ubuntu 3.x".into(),
        number,
        result: BuildResult::Failure,
        reason: "failed test".into(),
        step: Some("test".into()),
        why,
        causes: causes.iter().map(|c| c.to_string()).collect(),
        env_changed: Vec::new(),
        last_test: last_test.map(str::to_string),
        log_lines: Some(5000),
        read_error: None,
        unlocated: None,
    };
    let no_failing_test = vec![
        no_test(
            3,
            NoTestWhy::LogNamesNoTest,
            &["Buildbot killed the step: command timed out: 1200 seconds without output"],
            Some("test_hang"),
        ),
        no_test(2, NoTestWhy::LogDeleted, &[], None),
    ];
    Sample {
        rows,
        outside,
        exceptions,
        no_failing_test,
        log_notes: Vec::new(),
    }
}

fn report(s: &Sample) -> FailuresReport {
    let server = ServerUrl::parse("http://127.0.0.1:8010/").expect("url");
    let input = FailuresInput {
        branch: "3.x",
        builds_per_builder: 2,
        logs_parsed: 4,
        rows: &s.rows,
        outside: &s.outside,
        exceptions: &s.exceptions,
        no_failing_test: &s.no_failing_test,
        log_notes: &s.log_notes,
    };
    FailuresReport::new(input, &ReportOrigin::for_test(&server))
}

fn render(r: &FailuresReport, format: Format, settings: &Settings) -> String {
    let mut out = Vec::new();
    write(r, format, &mut out, settings).expect("render");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn text_lists_each_test_with_where_and_since_when() {
    let sample = sample();
    let plain = Settings::plain();
    assert_eq!(
        render(&report(&sample), Format::Plain, &plain),
        "\
Failing tests on 3.x: 3 tests on 3 builders (4 test logs parsed; newest 2 builds per builder)

test_os  likely regression, 2 builders
    AMD64 Ubuntu 3.x    #5, #4  (failing since #4 or earlier)
    ARM64 macOS 3.x     #7  (failing since #7 or earlier)

test_flaky  flaky, passed on re-run on 1 builder
    AMD64 Refleaks 3.x  #2 passed on re-run  known: gh-1

test_ssl  unknown (too few builds), 1 builder
    ARM64 macOS 3.x     #7 timed out  (failing since #7 or earlier)

Exception in the test step (infrastructure, not a test failure):
    AMD64 Refleaks 3.x  #3 exception test: No space left on device (while test_zipfile ran)

Failed in the test step, no failing test named:
    AMD64 Ubuntu 3.x    #3 failed test: the log names no failing test; Buildbot killed the step: command timed out: 1200 seconds without output (while test_hang ran)
    AMD64 Ubuntu 3.x    #2 failed test: its test log (5000 lines) was deleted by the server

Failed outside the test step:
    ARM64 macOS 3.x     #6 failed compile
    AMD64 Refleaks 3.x  #4 exception git
"
    );
    assert_eq!(
        render(&report(&EMPTY), Format::Plain, &plain),
        "\
Failing tests on 3.x: 0 tests on 0 builders (4 test logs parsed; newest 2 builds per builder)

No failed test in the builds read.
"
    );
}

#[test]
fn text_says_since_when_a_streak_runs_and_counts_builders_by_how_they_failed() {
    let builders = [
        builder(1, "AMD64 Ubuntu 3.x", &["3.x"]),
        builder(2, "ARM64 macOS 3.x", &["3.x", "clang"]),
    ];
    use BuildResult::{Failure, Success, Warnings};
    // test_x: builder 1 failed #11, #10, #9 of #8..#11 (persistent), builder 2 passed it
    // on re-run. test_y: builder 1 failed #9 only, then passed #10 and #11.
    let parsed = [
        parsed(1, 11, &["test_x"], &[]),
        parsed(1, 10, &["test_x"], &[]),
        parsed(1, 9, &["test_x", "test_y"], &[]),
        parsed(2, 3, &[], &["test_x"]),
    ];
    let read: BTreeMap<BuilderId, Vec<ReadBuild>> = BTreeMap::from([
        (
            1,
            vec![(11, Failure), (10, Failure), (9, Failure), (8, Success)],
        ),
        (2, vec![(3, Warnings)]),
    ]);
    let rows = matrix(
        &builders,
        &BTreeMap::new(),
        &parsed,
        &read,
        &KnownIssues::default(),
    );
    let sample = Sample { rows, ..EMPTY };
    let out = render(&report(&sample), Format::Plain, &Settings::plain());
    assert!(
        out.contains(
            "\ntest_x  persistent on one builder; passed on re-run on 1 more\n    \
                 AMD64 Ubuntu 3.x  #11, #10, #9  (failing since #9)\n    \
                 ARM64 macOS 3.x   #3 passed on re-run\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\ntest_y  flaky, 1 builder\n    AMD64 Ubuntu 3.x  #9  (passing since #10)\n"),
        "{out}"
    );
}

#[test]
fn text_aligns_by_display_width_and_url_adds_the_newest_build() {
    let mut sample = sample();
    // 22 columns but 16 characters: the widest name, though not the longest.
    sample.rows[0].occurrences[1].builder = "ARM64 日本語テスト 3.x".into();
    let settings = Settings {
        urls: true,
        ..Settings::plain()
    };
    let out = render(&report(&sample), Format::Plain, &settings);
    assert!(
        out.contains(
            "\n    AMD64 Ubuntu 3.x        #5, #4  (failing since #4 or earlier)  \
                 http://127.0.0.1:8010/#/builders/1/builds/5\n    ARM64 日本語テスト 3.x  #7  "
        ),
        "{out}"
    );
    assert!(
        out.contains("#6 failed compile  http://127.0.0.1:8010/#/builders/2/builds/6\n"),
        "{out}"
    );
}

#[test]
fn markdown_carries_the_counts_and_links_every_build() {
    let sample = sample();
    assert_eq!(
            render(&report(&sample), Format::Markdown, &Settings::plain()),
            "\
### Failing tests on 3.x

3 tests on 3 builders (4 test logs parsed; newest 2 builds per builder)

| Test | Kind | Builder | Builds | Known issue |
|---|---|---|---|---|
| `test_os` | likely regression | [AMD64 Ubuntu 3.x](http://127.0.0.1:8010/#/builders/1) | [\\#5](http://127.0.0.1:8010/#/builders/1/builds/5), [\\#4](http://127.0.0.1:8010/#/builders/1/builds/4)  (failing since \\#4 or earlier) | new |
|  |  | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7)  (failing since \\#7 or earlier) | new |
| `test_flaky` | flaky | [AMD64 Refleaks 3.x](http://127.0.0.1:8010/#/builders/3) | [\\#2](http://127.0.0.1:8010/#/builders/3/builds/2) passed on re-run | gh-1 |
| `test_ssl` | unknown (too few builds) | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7) timed out  (failing since \\#7 or earlier) | new |
| | exception in the test step | AMD64 Refleaks 3.x | [\\#3](http://127.0.0.1:8010/#/builders/3/builds/3) exception test: No space left on device (while test\\_zipfile ran) | |
| | failed in the test step, no failing test named | AMD64 Ubuntu 3.x | [\\#3](http://127.0.0.1:8010/#/builders/1/builds/3) failed test: the log names no failing test; Buildbot killed the step: command timed out: 1200 seconds without output (while test\\_hang ran) | |
| | failed in the test step, no failing test named | AMD64 Ubuntu 3.x | [\\#2](http://127.0.0.1:8010/#/builders/1/builds/2) failed test: its test log (5000 lines) was deleted by the server | |
| | failed outside tests | ARM64 macOS 3.x | [\\#6](http://127.0.0.1:8010/#/builders/2/builds/6) failed compile | |
| | failed outside tests | AMD64 Refleaks 3.x | [\\#4](http://127.0.0.1:8010/#/builders/3/builds/4) exception git | |
"
        );
    let empty = render(&report(&EMPTY), Format::Markdown, &Settings::plain());
    assert!(
        empty.ends_with("\n\nNo failed test in the builds read.\n"),
        "{empty}"
    );
    let html = render(&report(&sample), Format::Html, &Settings::plain());
    assert!(html.contains("3 tests on 3 builders"), "{html}");
}

#[test]
fn json_names_every_field_and_resolves_links() {
    let sample = sample();
    let json = render(&report(&sample), Format::Json, &Settings::plain());
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
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
            "branch",
            "builds_per_builder",
            "generated_at",
            "kind",
            "log_notes",
            "logs_parsed",
            "no_failing_test",
            "outside_tests",
            "recorded_at",
            "schema_version",
            "server",
            "source",
            "test_step_exceptions",
            "tests"
        ]
    );
    assert_eq!(
        (&v["kind"], &v["schema_version"]),
        (&"failures".into(), &1.into())
    );
    let os = &v["tests"][0];
    assert_eq!(
        (&os["test"], &os["classification"], &os["shared"]),
        (
            &"test_os".into(),
            &"likely_regression".into(),
            &serde_json::Value::Null
        )
    );
    assert_eq!(
        os["occurrences"][0],
        serde_json::json!({
            "builder": "AMD64 Ubuntu 3.x",
            "builderid": 1,
            "url": "http://127.0.0.1:8010/#/builders/1",
            "builds": [
                {"number": 5, "symptom": "failed", "url": "http://127.0.0.1:8010/#/builders/1/builds/5"},
                {"number": 4, "symptom": "failed", "url": "http://127.0.0.1:8010/#/builders/1/builds/4"}
            ],
            "since": 4,
            "streak": 2,
            "streak_open_ended": true,
            "passing_since": null,
            "persistent": true,
            "known": null
        })
    );
    assert_eq!(
        v["tests"][1]["occurrences"][0]["builds"][0]["symptom"],
        "passed_on_rerun"
    );
    assert_eq!(v["tests"][1]["occurrences"][0]["known"], "gh-1");
    assert_eq!(
        v["tests"][2]["occurrences"][0]["builds"][0]["symptom"],
        "timed_out"
    );
    assert_eq!(
        v["outside_tests"][0],
        serde_json::json!({
            "builder": "ARM64 macOS 3.x",
            "builderid": 2,
            "number": 6,
            "reason": "failed compile",
            "step": "compile",
            "url": "http://127.0.0.1:8010/#/builders/2/builds/6"
        })
    );
    assert_eq!(
        v["no_failing_test"][0],
        serde_json::json!({
            "builder": "AMD64 Ubuntu 3.x",
            "builderid": 1,
            "number": 3,
            "result": "failure",
            "reason": "failed test",
            "step": "test",
            "why": "log_names_no_test",
            "causes": ["Buildbot killed the step: command timed out: 1200 seconds without output"],
            "env_changed": [],
            "last_test": "test_hang",
            "log_lines": 5000,
            "read_error": null,
            "unlocated": null,
            "url": "http://127.0.0.1:8010/#/builders/1/builds/3"
        })
    );
}

#[test]
fn markdown_and_html_show_test_names_in_code_verbatim() {
    let builders = [
        builder(1, "AMD64 Ubuntu 3.x", &["3.x"]),
        builder(2, "ARM64 macOS 3.x", &["3.x"]),
    ];
    let parsed = [
        parsed(1, 5, &["test_bbr_broken", "test_a`b|c"], &[]),
        parsed(2, 7, &["test_bbr_broken"], &[]),
    ];
    let read: BTreeMap<BuilderId, Vec<ReadBuild>> = BTreeMap::from([
        (1, vec![(5, BuildResult::Failure)]),
        (2, vec![(7, BuildResult::Failure)]),
    ]);
    let rows = matrix(
        &builders,
        &BTreeMap::new(),
        &parsed,
        &read,
        &KnownIssues::default(),
    );
    let sample = Sample { rows, ..EMPTY };
    let md = render(&report(&sample), Format::Markdown, &Settings::plain());
    assert!(md.contains("| `test_bbr_broken` |"), "{md}");
    assert!(md.contains("| ``test_a`b\\|c`` |"), "{md}");
    assert!(!md.contains("test\\_"), "{md}");
    let html = render(&report(&sample), Format::Html, &Settings::plain());
    assert!(html.contains(">test_bbr_broken</code>"), "{html}");
    assert!(html.contains(">test_a`b|c</code>"), "{html}");
    assert!(!html.contains('\\'), "{html}");
}

#[test]
fn killed_cut_short_and_partly_read_logs_are_said_in_text_markdown_and_json() {
    use crate::model::failures::Unlocated;
    let mut sample = sample();
    let unread = Unlocated {
        counted: 5,
        unlocated: 2,
        budget_spent: true,
    };
    sample.log_notes = vec![LogNote {
        builderid: 1,
        builder: "AMD64 Ubuntu 3.x".into(),
        number: 5,
        causes: vec![
            "Buildbot killed the step: command timed out: 1200 seconds without output".into(),
        ],
        last_test: Some("test_hang".into()),
        unlocated: Some(unread),
    }];
    sample.no_failing_test[0].unlocated = Some(Unlocated {
        counted: 1,
        unlocated: 1,
        budget_spent: false,
    });
    let r = report(&sample);
    let text = render(&r, Format::Plain, &Settings::plain());
    assert!(
        text.contains(
            "    AMD64 Ubuntu 3.x    #5 Buildbot killed the step: command timed out: 1200 seconds \
             without output (while test_hang ran); 2 of 5 failed or env-changed tests the \
             progress counters count are in lines not read (the search's budget spent; `build \
             --full-log` reads every line)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "(while test_hang ran); 1 of 1 failed or env-changed test the progress counters \
             count is in lines not read (`build --full-log` reads every line)\n"
        ),
        "{text}"
    );
    let md = render(&r, Format::Markdown, &Settings::plain());
    assert!(
        md.contains("| | test log does not tell everything | AMD64 Ubuntu 3.x | [\\#5]("),
        "{md}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&render(&r, Format::Json, &Settings::plain())).expect("json");
    assert_eq!(v["log_notes"][0]["last_test"], "test_hang");
    assert_eq!(v["log_notes"][0]["unlocated"]["unlocated"], 2);
    assert_eq!(v["log_notes"][0]["unlocated"]["budget_spent"], true);
    assert_eq!(v["no_failing_test"][0]["unlocated"]["counted"], 1);
    assert_eq!(
        v["no_failing_test"][1]["unlocated"],
        serde_json::Value::Null
    );
}
