//! The failing-test matrix in text and markdown (its JSON is the report struct).

use std::io::{self, Write};

use super::markdown::escape;
use super::text::{display_width, pad, sanitize};
use super::{Report, Settings};
use crate::model::failures::{Classification, Symptom};
use crate::report::failures::{FailuresReport, TestOccurrence};

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

/// `#5, #4 passed on re-run  (failing since #4)`; in markdown each build is a link.
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
    let since = match (o.since, o.persistent) {
        (Some(n), true) => format!("  (every build read, since {hash}{n} or earlier)"),
        (Some(n), false) => format!("  (failing since {hash}{n})"),
        (None, _) => String::new(),
    };
    format!("{}{since}", list.join(", "))
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
        let shared = t
            .shared
            .as_deref()
            .map(|s| format!(": {}", sanitize(s)))
            .unwrap_or_default();
        let n = t.occurrences.len();
        writeln!(
            out,
            "{}  {}{shared}, {n} builder{}",
            styles.bold(&sanitize(&t.test)),
            label(t.classification),
            if n == 1 { "" } else { "s" }
        )?;
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
    if r.tests.is_empty() && r.outside_tests.is_empty() {
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
    if r.tests.is_empty() && r.outside_tests.is_empty() {
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
    use crate::model::failures::{OutsideTests, ParsedBuild, TestRow, matrix};
    use crate::model::known_issues::KnownIssues;
    use crate::model::regrtest::LogSummary;
    use crate::model::select::SelectedBuilder;
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

    /// test_os on two kinds of builder (a regression), test_ssl timed out once, test_flaky
    /// passed on re-run and is known; a compile failure and an exception outside the tests.
    fn sample() -> (Vec<TestRow>, Vec<OutsideTests>) {
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
        let read: BTreeMap<BuilderId, Vec<u32>> =
            BTreeMap::from([(1, vec![5, 4]), (2, vec![7, 6]), (3, vec![2, 1])]);
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
                number: 1,
                reason: "exception: lost connection".into(),
            },
        ];
        (rows, outside)
    }

    fn report(rows: &[TestRow], outside: &[OutsideTests]) -> FailuresReport {
        let server = ServerUrl::parse("http://127.0.0.1:8010/").expect("url");
        let input = FailuresInput {
            branch: "3.x",
            builds_per_builder: 2,
            logs_parsed: 4,
            rows,
            outside,
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
        let (rows, outside) = sample();
        let plain = Settings::plain();
        assert_eq!(
            render(&report(&rows, &outside), Format::Plain, &plain),
            "\
Failing tests on 3.x: 3 tests on 3 builders (4 test logs parsed; newest 2 builds per builder)

test_os  likely regression, 2 builders
    AMD64 Ubuntu 3.x    #5, #4  (every build read, since #4 or earlier)
    ARM64 macOS 3.x     #7  (failing since #7)

test_flaky  flaky, 1 builder
    AMD64 Refleaks 3.x  #2 passed on re-run  known: gh-1

test_ssl  flaky, 1 builder
    ARM64 macOS 3.x     #7 timed out  (failing since #7)

Failed outside the test step:
    ARM64 macOS 3.x     #6 failed compile
    AMD64 Refleaks 3.x  #1 exception: lost connection
"
        );
        assert_eq!(
            render(&report(&[], &[]), Format::Plain, &plain),
            "\
Failing tests on 3.x: 0 tests on 0 builders (4 test logs parsed; newest 2 builds per builder)

No failed test in the builds read.
"
        );
    }

    #[test]
    fn text_aligns_by_display_width_and_url_adds_the_newest_build() {
        let (mut rows, outside) = sample();
        // 22 columns but 16 characters: the widest name, though not the longest.
        rows[0].occurrences[1].builder = "ARM64 日本語テスト 3.x".into();
        let settings = Settings {
            urls: true,
            ..Settings::plain()
        };
        let out = render(&report(&rows, &outside), Format::Plain, &settings);
        assert!(
            out.contains(
                "\n    AMD64 Ubuntu 3.x        #5, #4  (every build read, since #4 or earlier)  \
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
        let (rows, outside) = sample();
        assert_eq!(
            render(&report(&rows, &outside), Format::Markdown, &Settings::plain()),
            "\
### Failing tests on 3.x

3 tests on 3 builders (4 test logs parsed; newest 2 builds per builder)

| Test | Kind | Builder | Builds | Known issue |
|---|---|---|---|---|
| `test\\_os` | likely regression | [AMD64 Ubuntu 3.x](http://127.0.0.1:8010/#/builders/1) | [\\#5](http://127.0.0.1:8010/#/builders/1/builds/5), [\\#4](http://127.0.0.1:8010/#/builders/1/builds/4)  (every build read, since \\#4 or earlier) | new |
|  |  | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7)  (failing since \\#7) | new |
| `test\\_flaky` | flaky | [AMD64 Refleaks 3.x](http://127.0.0.1:8010/#/builders/3) | [\\#2](http://127.0.0.1:8010/#/builders/3/builds/2) passed on re-run | gh-1 |
| `test\\_ssl` | flaky | [ARM64 macOS 3.x](http://127.0.0.1:8010/#/builders/2) | [\\#7](http://127.0.0.1:8010/#/builders/2/builds/7) timed out  (failing since \\#7) | new |
| | failed outside tests | ARM64 macOS 3.x | [\\#6](http://127.0.0.1:8010/#/builders/2/builds/6) failed compile | |
| | failed outside tests | AMD64 Refleaks 3.x | [\\#1](http://127.0.0.1:8010/#/builders/3/builds/1) exception: lost connection | |
"
        );
        let empty = render(&report(&[], &[]), Format::Markdown, &Settings::plain());
        assert!(
            empty.ends_with("\n\nNo failed test in the builds read.\n"),
            "{empty}"
        );
        let html = render(&report(&rows, &outside), Format::Html, &Settings::plain());
        assert!(html.contains("3 tests on 3 builders"), "{html}");
    }

    #[test]
    fn json_names_every_field_and_resolves_links() {
        let (rows, outside) = sample();
        let json = render(&report(&rows, &outside), Format::Json, &Settings::plain());
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
