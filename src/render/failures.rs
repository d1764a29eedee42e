//! The failing-test matrix in text and markdown (its JSON is the report struct).

use std::io::{self, Write};

use super::markdown::escape;
use super::text::{display_width, pad, sanitize};
use super::{Report, Settings};
use crate::model::failures::{Classification, Symptom};
use crate::report::failures::{
    FailingTest, FailuresReport, TestOccurrence, TestStepExceptionEntry,
};

impl Report for FailuresReport {
    const TITLE: &'static str = "bbreport failures";

    fn plain(&self, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
        plain(self, out, settings)
    }

    fn markdown(&self, out: &mut dyn Write, _settings: &Settings) -> io::Result<()> {
        markdown(self, out)
    }
}

fn label(c: Classification) -> &'static str {
    match c {
        Classification::LikelyRegression => "likely regression",
        Classification::PlatformOrWorker => "platform or worker",
        Classification::Flaky => "flaky",
        Classification::PersistentOnOneBuilder => "persistent on one builder",
        Classification::Unknown => "unknown (too few builds)",
    }
}

fn mark(s: Symptom) -> &'static str {
    match s {
        Symptom::Failed => "",
        Symptom::PassedOnRerun => " passed on re-run",
        Symptom::TimedOut => " timed out",
        Symptom::Crashed => " crashed",
    }
}

/// `#5, #4 passed on re-run  (failing since #4)`; in markdown each build is a link. "Since"
/// is the start of the current streak (`or earlier` when it reaches the oldest build read); a
/// test the newest builds passed is `passing since` the first of them.
fn builds_text(o: &TestOccurrence, markdown: bool) -> String {
    let hash = if markdown { "\\#" } else { "#" };
    let list: Vec<String> = o
        .builds
        .iter()
        .map(|b| {
            let n = format!("{hash}{}", b.number);
            let n = if markdown {
                format!("[{n}]({})", b.url)
            } else {
                n
            };
            format!("{n}{}", mark(b.symptom))
        })
        .collect();
    let since = match (o.since, o.streak_open_ended, o.passing_since) {
        (Some(n), true, _) => format!("  (failing since {hash}{n} or earlier)"),
        (Some(n), false, _) => format!("  (failing since {hash}{n})"),
        (None, _, Some(n)) => format!("  (passing since {hash}{n})"),
        (None, _, None) => String::new(),
    };
    format!("{}{since}", list.join(", "))
}

/// After the test's name: its classification and where: `likely regression, 3 builders`,
/// `persistent on one builder; passed on re-run on 1 more`.
fn headline(t: &FailingTest) -> String {
    let shared = t
        .shared
        .as_deref()
        .map(|s| format!(": {}", sanitize(s)))
        .unwrap_or_default();
    let builders = |n: usize| format!("{n} builder{}", if n == 1 { "" } else { "s" });
    let (hard, rerun_only) = t.builder_counts;
    let mut line = label(t.classification).to_string() + &shared;
    match (t.classification, hard) {
        (_, 0) => line.push_str(&format!(", passed on re-run on {}", builders(rerun_only))),
        // The label already says how many.
        (Classification::PersistentOnOneBuilder, _) => {}
        _ => line.push_str(&format!(", {}", builders(hard))),
    }
    if hard > 0 && rerun_only > 0 {
        line.push_str(&format!("; passed on re-run on {rerun_only} more"));
    }
    line
}

/// `3 tests on 2 builders (4 test logs parsed; newest 4 builds per builder)`.
fn counts(r: &FailuresReport) -> String {
    format!(
        "{} tests on {} builders ({} test logs parsed; newest {} builds per builder)",
        r.tests.len(),
        r.failing_builders(),
        r.logs_parsed,
        r.builds_per_builder
    )
}

const NOTHING_FAILED: &str = "No failed test in the builds read.";

const EXCEPTIONS_TITLE: &str = "Exception in the test step (infrastructure, not a test failure)";

fn nothing_failed(r: &FailuresReport) -> bool {
    r.tests.is_empty() && r.test_step_exceptions.is_empty() && r.outside_tests.is_empty()
}

/// `exception test: No space left on device (while test_os ran)`.
fn exception_text(e: &TestStepExceptionEntry) -> String {
    let mut text = sanitize(&e.reason).into_owned();
    if !e.causes.is_empty() {
        let causes: Vec<String> = e.causes.iter().map(|c| sanitize(c).into_owned()).collect();
        text.push_str(&format!(": {}", causes.join(", ")));
    }
    if let Some(t) = &e.last_test {
        text.push_str(&format!(" (while {} ran)", sanitize(t)));
    }
    text
}

fn plain(r: &FailuresReport, out: &mut dyn Write, settings: &Settings) -> io::Result<()> {
    let styles = settings.styles;
    writeln!(
        out,
        "Failing tests on {}: {}",
        sanitize(&r.branch),
        counts(r)
    )?;
    let name_w = r
        .tests
        .iter()
        .flat_map(|t| &t.occurrences)
        .map(|o| display_width(&sanitize(&o.builder)))
        .max()
        .unwrap_or(0);
    // `--url`: the newest build it failed in, which is what a reader opens.
    let url = |url: &str| {
        if settings.urls {
            format!("  {url}")
        } else {
            String::new()
        }
    };
    for t in &r.tests {
        writeln!(out)?;
        writeln!(out, "{}  {}", styles.bold(&sanitize(&t.test)), headline(t))?;
        for o in &t.occurrences {
            let known = match &o.known {
                Some(issue) => styles.dim(&format!("  known: {}", sanitize(issue))),
                None => String::new(),
            };
            let newest = o.builds.first().map_or("", |b| b.url.as_str());
            writeln!(
                out,
                "    {}  {}{known}{}",
                pad(&styles.link(&o.url, &sanitize(&o.builder)), name_w),
                builds_text(o, false),
                url(newest)
            )?;
        }
    }
    if !r.test_step_exceptions.is_empty() {
        writeln!(out)?;
        writeln!(out, "{EXCEPTIONS_TITLE}:")?;
        for e in &r.test_step_exceptions {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&e.url, &sanitize(&e.builder)), name_w),
                e.number,
                exception_text(e),
                url(&e.url)
            )?;
        }
    }
    if !r.outside_tests.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failed outside the test step:")?;
        for o in &r.outside_tests {
            writeln!(
                out,
                "    {}  #{} {}{}",
                pad(&styles.link(&o.url, &sanitize(&o.builder)), name_w),
                o.number,
                sanitize(&o.reason),
                url(&o.url)
            )?;
        }
    }
    if nothing_failed(r) {
        writeln!(out)?;
        writeln!(out, "{NOTHING_FAILED}")?;
    }
    Ok(())
}

fn markdown(r: &FailuresReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "### Failing tests on {}", escape(&r.branch))?;
    writeln!(out)?;
    writeln!(out, "{}", counts(r))?;
    writeln!(out)?;
    if nothing_failed(r) {
        return writeln!(out, "{NOTHING_FAILED}");
    }
    writeln!(out, "| Test | Kind | Builder | Builds | Known issue |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for t in &r.tests {
        for (i, o) in t.occurrences.iter().enumerate() {
            let (test, kind) = if i == 0 {
                let shared = t
                    .shared
                    .as_deref()
                    .map(|s| format!(" ({})", escape(s)))
                    .unwrap_or_default();
                (
                    format!("`{}`", escape(&t.test)),
                    format!("{}{shared}", label(t.classification)),
                )
            } else {
                (String::new(), String::new())
            };
            writeln!(
                out,
                "| {test} | {kind} | [{}]({}) | {} | {} |",
                escape(&o.builder),
                o.url,
                builds_text(o, true),
                o.known.as_deref().map_or("new".to_string(), escape)
            )?;
        }
    }
    for e in &r.test_step_exceptions {
        writeln!(
            out,
            "| | exception in the test step | {} | [\\#{}]({}) {} | |",
            escape(&e.builder),
            e.number,
            e.url,
            escape(&exception_text(e))
        )?;
    }
    for o in &r.outside_tests {
        writeln!(
            out,
            "| | failed outside tests | {} | [\\#{}]({}) {} | |",
            escape(&o.builder),
            o.number,
            o.url,
            escape(&o.reason)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::api::ServerUrl;
    use crate::api::types::BuilderId;
    use crate::model::classify::TagRules;
    use crate::model::failures::{
        OutsideTests, ParsedBuild, ReadBuild, TestRow, TestStepException, matrix,
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
    }

    const EMPTY: Sample = Sample {
        rows: Vec::new(),
        outside: Vec::new(),
        exceptions: Vec::new(),
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
        let known = KnownIssues::parse("[[rule]]\nissue = \"gh-1\"\ntest = \"test_flaky\"\n")
            .expect("rules");
        let rows = matrix(&builders, &workers, &parsed, &read, &known);
        let outside = vec![
            OutsideTests {
                builderid: 2,
                builder: "ARM64 macOS 3.x".into(),
                number: 6,
                reason: "failed compile".into(),
            },
            OutsideTests {
                builderid: 3,
                builder: "AMD64 Refleaks 3.x".into(),
                number: 4,
                reason: "exception git".into(),
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
        Sample {
            rows,
            outside,
            exceptions,
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
            out.contains(
                "\ntest_y  flaky, 1 builder\n    AMD64 Ubuntu 3.x  #9  (passing since #10)\n"
            ),
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
| `test\\_os` | likely regression | [AMD64 Ubuntu 3.x](http://127.0.0.1:8010/#/builders/1) | [\\#5](http://127.0.0.1:8010/#/builders/1/builds/5), [\\#4](http://127.0.0.1:8010/#/builders/1/builds/4)  (failing since \\#4 or earlier) | new |
|  |  | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7)  (failing since \\#7 or earlier) | new |
| `test\\_flaky` | flaky | [AMD64 Refleaks 3.x](http://127.0.0.1:8010/#/builders/3) | [\\#2](http://127.0.0.1:8010/#/builders/3/builds/2) passed on re-run | gh-1 |
| `test\\_ssl` | unknown (too few builds) | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7) timed out  (failing since \\#7 or earlier) | new |
| | exception in the test step | AMD64 Refleaks 3.x | [\\#3](http://127.0.0.1:8010/#/builders/3/builds/3) exception test: No space left on device (while test\\_zipfile ran) | |
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
                "logs_parsed",
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
                "url": "http://127.0.0.1:8010/#/builders/2/builds/6"
            })
        );
    }
}
