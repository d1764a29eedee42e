//! The failing-test matrix: text, markdown, JSON.

use std::io::{self, Write};

use serde::Serialize;

use super::Styles;
use super::markdown::escape;
use super::text::{pad, sanitize};
use crate::api::types::BuilderId;
use crate::model::failures::{Classification, Occurrence, Symptom, TestRow};
use crate::report::header::{JsonHeader, ReportOrigin};

#[derive(Debug)]
pub struct FailuresReport<'a> {
    pub branch: &'a str,
    pub builds_per_builder: usize,
    pub logs_parsed: usize,
    pub rows: &'a [TestRow],
    pub outside: &'a [OutsideTests],
}

/// A failed build whose failure is not in a test step (compile, configure…).
#[derive(Debug, Clone, Serialize)]
pub struct OutsideTests {
    pub builderid: BuilderId,
    pub builder: String,
    pub number: u32,
    pub reason: String,
}

pub fn label(c: Classification) -> &'static str {
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

fn builds_text(o: &Occurrence) -> String {
    let list: Vec<String> = o
        .builds
        .iter()
        .map(|(n, s)| format!("#{n}{}", mark(*s)))
        .collect();
    let since = match (o.since, o.persistent) {
        (Some(n), true) => format!("  (every build read, since #{n} or earlier)"),
        (Some(n), false) => format!("  (failing since #{n})"),
        (None, _) => String::new(),
    };
    format!("{}{since}", list.join(", "))
}

pub fn render_text(out: &mut dyn Write, r: &FailuresReport<'_>, styles: Styles) -> io::Result<()> {
    let builders: std::collections::BTreeSet<BuilderId> = r
        .rows
        .iter()
        .flat_map(|t| t.occurrences.iter().map(|o| o.builderid))
        .collect();
    writeln!(
        out,
        "Failing tests on {}: {} tests on {} builders ({} test logs parsed; newest {} builds per builder)",
        sanitize(r.branch),
        r.rows.len(),
        builders.len(),
        r.logs_parsed,
        r.builds_per_builder
    )?;
    let name_w = r
        .rows
        .iter()
        .flat_map(|t| &t.occurrences)
        .map(|o| sanitize(&o.builder).chars().count())
        .max()
        .unwrap_or(0);
    for t in r.rows {
        writeln!(out)?;
        let shared = t
            .shared
            .as_deref()
            .map(|s| format!(": {s}"))
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
            writeln!(
                out,
                "    {}  {}{known}",
                pad(&sanitize(&o.builder), name_w),
                builds_text(o)
            )?;
        }
    }
    if !r.outside.is_empty() {
        writeln!(out)?;
        writeln!(out, "Failed outside the test step:")?;
        for o in r.outside {
            writeln!(
                out,
                "    {}  #{} {}",
                pad(&sanitize(&o.builder), name_w),
                o.number,
                sanitize(&o.reason)
            )?;
        }
    }
    if r.rows.is_empty() && r.outside.is_empty() {
        writeln!(out)?;
        writeln!(out, "No failed test in the builds read.")?;
    }
    Ok(())
}

pub fn render_markdown(out: &mut dyn Write, r: &FailuresReport<'_>) -> io::Result<()> {
    writeln!(out, "### Failing tests on {}", escape(r.branch))?;
    writeln!(out)?;
    writeln!(out, "| Test | Kind | Builder | Builds | Known issue |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for t in r.rows {
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
                "| {test} | {kind} | {} | {} | {} |",
                escape(&o.builder),
                escape(&builds_text(o)),
                o.known.as_deref().map_or("new".to_string(), escape)
            )?;
        }
    }
    for o in r.outside {
        writeln!(
            out,
            "| | failed outside tests | {} | #{} {} | |",
            escape(&o.builder),
            o.number,
            escape(&o.reason)
        )?;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
struct FailuresJson<'a> {
    #[serde(flatten)]
    header: JsonHeader,
    branch: &'a str,
    builds_per_builder: usize,
    logs_parsed: usize,
    /// Most widespread first.
    tests: &'a [TestRow],
    outside_tests: &'a [OutsideTests],
}

pub fn render_json(
    out: &mut dyn Write,
    r: &FailuresReport<'_>,
    origin: &ReportOrigin<'_>,
) -> io::Result<()> {
    let doc = FailuresJson {
        header: origin.header("failures"),
        branch: r.branch,
        builds_per_builder: r.builds_per_builder,
        logs_parsed: r.logs_parsed,
        tests: r.rows,
        outside_tests: r.outside,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::classify::TagRules;
    use crate::model::failures::{ParsedBuild, matrix};
    use crate::model::known_issues::KnownIssues;
    use crate::model::regrtest::LogSummary;
    use crate::model::select::SelectedBuilder;

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

    fn report<'a>(rows: &'a [TestRow], outside: &'a [OutsideTests]) -> FailuresReport<'a> {
        FailuresReport {
            branch: "3.x",
            builds_per_builder: 2,
            logs_parsed: 4,
            rows,
            outside,
        }
    }

    fn text(r: &FailuresReport<'_>) -> String {
        let mut out = Vec::new();
        render_text(&mut out, r, Styles::plain()).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_lists_each_test_with_where_and_since_when() {
        let (rows, outside) = sample();
        assert_eq!(
            text(&report(&rows, &outside)),
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
            text(&report(&[], &[])),
            "\
Failing tests on 3.x: 0 tests on 0 builders (4 test logs parsed; newest 2 builds per builder)

No failed test in the builds read.
"
        );
    }

    #[test]
    fn markdown_is_one_table() {
        let (rows, outside) = sample();
        let mut out = Vec::new();
        render_markdown(&mut out, &report(&rows, &outside)).expect("render");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "\
### Failing tests on 3.x

| Test | Kind | Builder | Builds | Known issue |
|---|---|---|---|---|
| `test\\_os` | likely regression | AMD64 Ubuntu 3.x | \\#5, \\#4  (every build read, since \\#4 or earlier) | new |
|  |  | ARM64 macOS 3.x | \\#7  (failing since \\#7) | new |
| `test\\_flaky` | flaky | AMD64 Refleaks 3.x | \\#2 passed on re-run | gh-1 |
| `test\\_ssl` | flaky | ARM64 macOS 3.x | \\#7 timed out  (failing since \\#7) | new |
| | failed outside tests | ARM64 macOS 3.x | #6 failed compile | |
| | failed outside tests | AMD64 Refleaks 3.x | #1 exception: lost connection | |
"
        );
    }
}
